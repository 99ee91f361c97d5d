import type { DossierStatus } from '../../src/domain/dossiers/dossier.ts';

/** A dossier status in a few words, as the citizen reads it (vi with diacritics, en). */
export const dossierStatusWords: Record<'vi' | 'en', Record<DossierStatus, string>> = {
  vi: {
    received: 'đã tiếp nhận',
    processing: 'đang xử lý',
    needs_more_info: 'cần bổ sung',
    completed: 'đã có kết quả',
    rejected: 'bị từ chối',
    returned: 'đã trả lại',
  },
  en: {
    received: 'received',
    processing: 'in progress',
    needs_more_info: 'needs more papers',
    completed: 'result ready',
    rejected: 'rejected',
    returned: 'returned',
  },
};
