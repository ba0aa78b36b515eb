// Recognises database errors that carry a domain meaning, on both providers.
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  return e?.code === 'P2002' || e?.cause?.code === '23505' || /UNIQUE constraint failed|unique constraint/i.test(e?.message ?? '');
}
