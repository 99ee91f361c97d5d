import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJobDeps } from '../../src/app/worker.ts';
import { createVerifyJob, LATER_ROUND_DELAY_MS } from '../../src/pipeline/verify-job.ts';
import { type FakeRegistryServer, startFakeRegistryServer } from '../fakes/fake-registry-server.ts';
import { AppHarness } from '../support/app-harness.ts';
import { eventually, neverDeferred, sleep } from '../support/services.ts';

describe('verification when the population registry is unavailable', () => {
  let registry: FakeRegistryServer;
  let h: AppHarness;

  beforeAll(async () => {
    registry = await startFakeRegistryServer([
      { cccd: '048090001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-02-15', gender: 'male' },
    ]);
    registry.setMode('unavailable');
    h = await AppHarness.start({
      env: { POPULATION_REGISTRY: registry.url, POPULATION_REGISTRY_TOKEN: 'registry-token' },
    });
  });
  afterAll(async () => {
    await h?.stop();
    await registry?.close();
  });

  it('retries the check with backoff, and verifies once the registry answers again', async () => {
    const phone = '+84905500001';
    await h.say(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    await h.say(phone, 'CO');
    const citizen = await h.services.citizens.findByPhone(phone);
    const job = await eventually(async () => {
      const jobs = await h.services.queues.verify.getJobs(['delayed']);
      return jobs.find((j) => j.data.citizenId === citizen?.id && j.attemptsMade >= 1);
    });

    expect(registry.requests.length).toBeGreaterThanOrEqual(1);
    expect(registry.requests[0]?.authorization).toBe('Bearer registry-token');
    expect(await h.services.citizens.findById(citizen?.id ?? '')).toMatchObject({ status: 'provisional' });

    registry.setMode('normal');
    await job.promote();
    const [verified] = await h.waitForInbox(phone, 3).then((all) => all.slice(2));

    expect(verified).toMatch(/da duoc xac minh voi CSDL dan cu/);
  });

  it('tells the citizen the check is delayed after the last retry, and schedules a later round', async () => {
    const phone = '+84905500002';
    registry.setMode('unavailable');
    await h.services.queues.verify.pause();
    await h.say(phone, 'DK Tran Thi Binh, 048185000321, 03/07/1985');
    await h.say(phone, 'CO');
    const citizen = await h.services.citizens.findByPhone(phone);
    if (!citizen) throw new Error('no account');
    const verify = createVerifyJob(verifyJobDeps(h.services));

    await verify(
      { citizenId: citizen.id, round: 0 },
      { attemptsMade: 5, maxAttempts: 6, defer: neverDeferred },
    );
    await verify(
      { citizenId: citizen.id, round: 0 },
      { attemptsMade: 5, maxAttempts: 6, defer: neverDeferred },
    );
    const [delayed] = (await h.waitForInbox(phone, 3)).slice(2);

    expect(delayed).toMatch(
      /^Viec xac minh tai khoan [2-9A-Z]{4}-[2-9A-Z]{4} dang cham do he thong dan cu ban\./,
    );
    const later = await h.services.queues.verify.getJob(`verify-${citizen.id}-1`);
    expect(later?.data).toEqual({ citizenId: citizen.id, round: 1 });
    expect(later?.opts.delay).toBe(LATER_ROUND_DELAY_MS);
    await sleep(500);
    expect(h.inbox(phone)).toHaveLength(3);
    await h.services.queues.verify.resume();
  });
});
