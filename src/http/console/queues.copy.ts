/** The Queues page's text (the board itself is bull-board's, in English): Vietnamese first, English second. */
export const queuesCopy = {
  vi: {
    nav: 'Hàng đợi',
    forbidden: 'Trang Hàng đợi chỉ dành cho cán bộ thành phố.',
    back: 'Bảng điều khiển',
  },
  en: {
    nav: 'Queues',
    forbidden: 'The Queues page is for city staff only.',
    back: 'Console',
  },
} as const;
