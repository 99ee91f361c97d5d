import type { Contact, ContactRepository, PhoneProof } from '../../src/domain/contacts/contact.ts';

interface Entry {
  contact: Contact;
  lastInboundAt: number;
}

/** A working in-memory {@link ContactRepository}; passes test/contracts/contact-repository.contract.ts. */
export class InMemoryContactRepository implements ContactRepository {
  readonly #entries = new Map<string, Entry>();

  #ensure(channel: string, address: string): Entry {
    const key = `${channel}\0${address}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = {
        contact: {
          channel,
          address,
          language: 'vi',
          optedOutAt: null,
          citizenId: null,
          linkedAt: null,
          phone: null,
        },
        lastInboundAt: 0,
      };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  async touch(channel: string, address: string, at: Date) {
    const entry = this.#ensure(channel, address);
    entry.lastInboundAt = Math.max(entry.lastInboundAt, at.getTime());
    return entry.contact;
  }

  async find(channel: string, address: string) {
    return this.#entries.get(`${channel}\0${address}`)?.contact ?? null;
  }

  async setLanguage(channel: string, address: string, language: 'vi' | 'en') {
    const entry = this.#ensure(channel, address);
    entry.contact = { ...entry.contact, language };
  }

  async setOptedOut(channel: string, address: string, optedOut: boolean, at: Date) {
    const entry = this.#ensure(channel, address);
    entry.contact = { ...entry.contact, optedOutAt: optedOut ? at : null };
  }

  async linkCitizen(channel: string, address: string, citizenId: string) {
    const entry = this.#ensure(channel, address);
    const linkedAt = entry.contact.citizenId === citizenId ? entry.contact.linkedAt : new Date();
    entry.contact = { ...entry.contact, citizenId, linkedAt };
  }

  async setProvenPhone(channel: string, address: string, phone: string, _proof: PhoneProof, _at: Date) {
    const entry = this.#ensure(channel, address);
    entry.contact = { ...entry.contact, phone };
  }

  async findByCitizen(citizenId: string) {
    return [...this.#entries.values()]
      .filter((e) => e.contact.citizenId === citizenId)
      .sort((a, b) => b.lastInboundAt - a.lastInboundAt)
      .map((e) => e.contact);
  }

  async unlinkCitizen(citizenId: string) {
    for (const [key, entry] of this.#entries) {
      if (entry.contact.citizenId !== citizenId) continue;
      if (entry.contact.optedOutAt === null) this.#entries.delete(key);
      else entry.contact = { ...entry.contact, citizenId: null, linkedAt: null, phone: null };
    }
  }
}
