// The GDB remote serial protocol's framing: $payload#checksum packets, '+'/'-' acknowledgements, and
// the out-of-band interrupt byte 0x03 (Ctrl-C). See the GDB manual, "Remote Protocol: Overview".

/** Largest packet we accept (announced as PacketSize); a longer one is dropped and NAKed. */
export const MAX_PACKET = 0x4000;

export type Frame =
  | { kind: 'packet'; data: string }
  | { kind: 'bad' } // checksum mismatch or oversized: answer '-'
  | { kind: 'interrupt' }
  | { kind: 'ack' }
  | { kind: 'nak' };

/** Splits the incoming byte stream into frames. Bytes outside packets other than + - and 0x03 are
 * ignored, as the protocol allows. The payload is kept as a latin1 string (binary X data included);
 * '}' escapes are undone, run-length encoding (which only stubs send) is not expected. */
export class FrameReader {
  private state: 'idle' | 'data' | 'sum1' | 'sum2' = 'idle';
  private buf: number[] = [];
  private sum = 0;
  private given = 0;
  private escaped = false;
  private oversized = false;

  feed(bytes: Uint8Array): Frame[] {
    const out: Frame[] = [];
    for (const b of bytes) {
      switch (this.state) {
        case 'idle':
          if (b === 0x24) { this.state = 'data'; this.buf = []; this.sum = 0; this.escaped = false; this.oversized = false; }
          else if (b === 0x03) out.push({ kind: 'interrupt' });
          else if (b === 0x2b) out.push({ kind: 'ack' });
          else if (b === 0x2d) out.push({ kind: 'nak' });
          break;
        case 'data':
          if (b === 0x23 && !this.escaped) { this.state = 'sum1'; break; }
          if (b === 0x24 && !this.escaped) { out.push({ kind: 'bad' }); this.buf = []; this.sum = 0; break; } // a new packet before the end
          this.sum = (this.sum + b) & 0xff;
          if (this.escaped) { this.escaped = false; this.push(b ^ 0x20); } else if (b === 0x7d) this.escaped = true; else this.push(b);
          break;
        case 'sum1':
          this.given = hexDigit(b) << 4; this.state = hexDigit(b) < 0 ? 'idle' : 'sum2';
          if (this.state === 'idle') out.push({ kind: 'bad' });
          break;
        case 'sum2': {
          this.state = 'idle';
          const d = hexDigit(b);
          if (d < 0 || (this.given | d) !== this.sum || this.oversized) out.push({ kind: 'bad' });
          else out.push({ kind: 'packet', data: String.fromCharCode(...this.buf) });
          break;
        }
      }
    }
    return out;
  }

  private push(b: number): void {
    if (this.buf.length >= MAX_PACKET) this.oversized = true; else this.buf.push(b);
  }
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

/** Frame a payload (latin1 string): escape $ # } * and append the checksum. */
export function framePacket(payload: string): Buffer {
  let body = '';
  for (let k = 0; k < payload.length; k++) {
    const ch = payload.charCodeAt(k);
    if (ch === 0x24 || ch === 0x23 || ch === 0x7d || ch === 0x2a) body += '}' + String.fromCharCode(ch ^ 0x20);
    else body += payload[k];
  }
  let sum = 0;
  for (let k = 0; k < body.length; k++) sum = (sum + body.charCodeAt(k)) & 0xff;
  return Buffer.from(`$${body}#${sum.toString(16).padStart(2, '0')}`, 'latin1');
}

export function toHex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

export function fromHex(h: string): string | undefined {
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  return Buffer.from(h, 'hex').toString('utf8');
}

/** A 64-bit register value (two int32 halves) as 16 hex digits, little-endian byte order. */
export function hex64le(lo: number, hi: number): string {
  return hex32le(lo) + hex32le(hi);
}

export function hex32le(v: number): string {
  let s = '';
  for (let k = 0; k < 4; k++) s += ((v >>> (8 * k)) & 0xff).toString(16).padStart(2, '0');
  return s;
}

/** Little-endian hex (8 digits per 32-bit word) to words; undefined when malformed. */
export function parseLeWords(h: string, words: number): number[] | undefined {
  if (h.length !== words * 8 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const out: number[] = [];
  for (let w = 0; w < words; w++) {
    let v = 0;
    for (let k = 3; k >= 0; k--) v = (v << 8) | parseInt(h.substr(w * 8 + k * 2, 2), 16);
    out.push(v | 0);
  }
  return out;
}

/** A big-endian hex number as a bigint (addresses, lengths); undefined when malformed. */
export function parseHexBig(h: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(h)) return undefined;
  return BigInt(`0x${h}`);
}
