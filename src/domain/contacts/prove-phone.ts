import type { Citizen } from '../citizens/citizen.ts';
import type { CitizenRepository } from '../citizens/citizen-repository.ts';
import type { ContactRepository, PhoneProof } from './contact.ts';

/**
 * Records that a messenger identity proved `phone` (by an SMS code, or because the channel vouched for it) and
 * links the identity to the account of that phone, if there is one. This is the only way a messenger identity
 * reaches an account: one citizen, many channels, always through a proven phone. Resolves the account.
 */
export async function provePhone(
  deps: { contacts: ContactRepository; citizens: CitizenRepository },
  proof: { channel: string; address: string; phone: string; how: PhoneProof; at: Date },
): Promise<Citizen | null> {
  await deps.contacts.setProvenPhone(proof.channel, proof.address, proof.phone, proof.how, proof.at);
  const citizen = await deps.citizens.findByPhone(proof.phone);
  if (citizen) await deps.contacts.linkCitizen(proof.channel, proof.address, citizen.id);
  return citizen;
}
