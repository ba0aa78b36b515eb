// Finds the first byte that is not well-formed UTF-8, across chunks, so a
// refusal can say exactly where it is. TextDecoder would replace such bytes
// with U+FFFD (and two different names would become one), and its fatal mode
// says that something is wrong but not where.

export class Utf8Validator {
  /** Bytes seen before the current chunk. */
  private consumed = 0;
  /** Continuation bytes the current character still needs. */
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  /** Offset of the first byte of the current character. */
  private start = 0;
  /** That byte's value: the one a refusal shows. */
  leadByte = 0;

  /** The offset (from the start of the stream) of the first ill-formed sequence in this chunk, or -1. */
  push(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.needed === 0) {
        if (b < 0x80) continue;
        this.start = this.consumed + i;
        this.leadByte = b;
        if (b >= 0xc2 && b <= 0xdf) this.needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          this.needed = 2;
          if (b === 0xe0) this.lower = 0xa0; // overlong
          if (b === 0xed) this.upper = 0x9f; // surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
          this.needed = 3;
          if (b === 0xf0) this.lower = 0x90; // overlong
          if (b === 0xf4) this.upper = 0x8f; // beyond U+10FFFF
        } else return this.start;
      } else {
        if (b < this.lower || b > this.upper) return this.start;
        this.lower = 0x80;
        this.upper = 0xbf;
        this.needed--;
      }
    }
    this.consumed += bytes.length;
    return -1;
  }

  /** At the end of the stream: the offset of a character left incomplete, or -1. */
  end(): number {
    return this.needed === 0 ? -1 : this.start;
  }
}

/** The offset of the first ill-formed UTF-8 sequence in the bytes, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const validator = new Utf8Validator();
  const at = validator.push(bytes);
  return at === -1 ? validator.end() : at;
}
