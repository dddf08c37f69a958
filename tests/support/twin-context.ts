/**
 * A ServiceContext for calling a twin service directly, without the SDK: the twin's own virtual clock and an
 * `emit` that collects events with their envelope.
 */
import { makeVirtualClock } from '../../scripts/twin/core/clock';
import type { ServiceContext, TwinEvent } from '../../scripts/twin/core/types';

export function fakeServiceContext(start: string, account = '111122223333', region = 'eu-west-1'): { ctx: ServiceContext; events: TwinEvent[] } {
  const clock = makeVirtualClock(start);
  const ids = new Map<string, number>();
  const events: TwinEvent[] = [];
  const ctx: ServiceContext = {
    clock,
    account,
    region,
    nextId(prefix = 'id') {
      const n = (ids.get(prefix) ?? 0) + 1;
      ids.set(prefix, n);
      return `${prefix}-${n}`;
    },
    emit(event) {
      events.push(structuredClone({ version: '0', id: ctx.nextId('event'), account, region, time: event.time ?? clock.iso(), ...event }) as TwinEvent);
    },
  };
  return { ctx, events };
}
