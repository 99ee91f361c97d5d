/** The Queues page's text (the board itself is bull-board's, in English): Vietnamese first, English second. */
export const queuesCopy = {
  vi: {
    nav: 'Hàng đợi',
    forbidden: 'Trang Hàng đợi chỉ dành cho cán bộ thành phố.',
    back: 'Bảng điều khiển',
    refused: 'Dịch vụ không cho phép thao tác này trên hàng đợi: nó sẽ làm mất tin nhắn hoặc việc đang chờ.',
  },
  en: {
    nav: 'Queues',
    forbidden: 'The Queues page is for city staff only.',
    back: 'Console',
    refused:
      'The service refuses this action on its queues: it would lose messages or jobs that are waiting.',
  },
} as const;
