// Arm PrimeCell UART (PL011), as on QEMU's virt board at 0x0900_0000. Transmit goes straight to the
// host sink. Registers follow the PL011 TRM (DDI 0183): DR 0x000, FR 0x018, IBRD/FBRD, LCR_H 0x02C,
// CR 0x030, IFLS 0x034, IMSC 0x038, RIS 0x03C, MIS 0x040, ICR 0x044, PeriphID/PCellID at 0xFE0.

import type { MmioDevice } from '../mem/bus.js';

const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]; // PeriphID0-3, PCellID0-3

// Interrupt bits (RIS/MIS/IMSC/ICR).
const INT_RX = 1 << 4, INT_TX = 1 << 5, INT_RT = 1 << 6;
// Flag register bits.
const FR_RXFE = 1 << 4, FR_TXFE = 1 << 7, FR_RXFF = 1 << 6;

export class Pl011 implements MmioDevice {
  readonly name = 'pl011';
  private cr = 0x300; // TXE | RXE, UART disabled, as at reset
  private lcrh = 0;
  private ibrd = 0;
  private fbrd = 0;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private readonly rx: number[] = [];
  /** Host input beyond the 32-byte FIFO waits here (as QEMU's character device holds it back while
   * the UART cannot receive), and moves into the FIFO as the guest reads. */
  private readonly backlog: number[] = [];
  /** Raised/lowered as the masked interrupt status changes (the board wires it to SPI 1). */
  onIrq: (level: boolean) => void = () => {};

  constructor(private readonly sink: (byte: number) => void) {}

  /** Host input arriving on the receive line. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.backlog.push(b);
    this.refill();
    if (this.rx.length > 0) this.ris |= INT_RX | INT_RT;
    this.update();
  }

  private refill(): void {
    while (this.rx.length < 32 && this.backlog.length > 0) this.rx.push(this.backlog.shift()!);
  }

  /** Reset (a system reset): registers to their reset values; received bytes not yet read are kept. */
  reset(): void {
    this.cr = 0x300; this.lcrh = 0; this.ibrd = 0; this.fbrd = 0; this.ifls = 0x12; this.imsc = 0; this.ris = 0;
    this.update();
  }

  get rxPending(): boolean { return this.rx.length > 0; }
  /** The guest has unmasked a receive interrupt, so input arriving later could wake it. */
  get rxInterruptEnabled(): boolean { return (this.imsc & (INT_RX | INT_RT)) !== 0; }

  read(off: number, _size: number): number {
    switch (off) {
      case 0x000: {
        const b = this.rx.shift();
        this.refill();
        if (this.rx.length === 0) this.ris &= ~(INT_RX | INT_RT);
        this.update();
        return b ?? 0;
      }
      case 0x004: return 0; // RSR/ECR: no errors
      case 0x018: return this.fr();
      case 0x024: return this.ibrd;
      case 0x028: return this.fbrd;
      case 0x02c: return this.lcrh;
      case 0x030: return this.cr;
      case 0x034: return this.ifls;
      case 0x038: return this.imsc;
      case 0x03c: return this.ris;
      case 0x040: return this.ris & this.imsc;
      default:
        if (off >= 0xfe0 && off < 0x1000) return ID[(off - 0xfe0) >> 2];
        return 0;
    }
  }

  peek(off: number, size: number): number {
    if (off === 0x000) return this.rx[0] ?? 0;
    return this.read(off, size);
  }

  write(off: number, _size: number, v: number): void {
    switch (off) {
      case 0x000:
        this.sink(v & 0xff);
        this.ris |= INT_TX; // the byte left at once: the FIFO fell below its trigger level (as QEMU's model)
        this.update();
        break;
      case 0x004: break;
      case 0x024: this.ibrd = v & 0xffff; break;
      case 0x028: this.fbrd = v & 0x3f; break;
      case 0x02c: this.lcrh = v & 0xff; break;
      case 0x030: this.cr = v & 0xffff; break;
      case 0x034: this.ifls = v & 0x3f; break;
      case 0x038: this.imsc = v & 0x7ff; this.update(); break;
      case 0x044: this.ris &= ~v; this.update(); break;
      default: break;
    }
  }

  private fr(): number {
    let f = FR_TXFE;
    if (this.rx.length === 0) f |= FR_RXFE;
    if (this.rx.length >= 32) f |= FR_RXFF;
    return f;
  }

  private update(): void {
    this.onIrq((this.ris & this.imsc) !== 0);
  }
}
