// Every instance runs this same app; three processes share the invoices.
import { afterSuccess, App, Arg, Return, Task } from '@apogee/core';
import { bullmq } from '@apogee/bullmq';
import { redis } from '@apogee/redis';

export class Billing {
  /** Runs on whichever instance's worker takes the job. */
  @Task({ execution: 'queue', multilaunch: true })
  async invoice(@Arg('customer') customer: string): Promise<{ customer: string; pid: number }> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { customer, pid: process.pid };
  }

  /** Queued after each invoice; its argument comes from the invoice's return value. */
  @Task({ execution: 'queue', start: afterSuccess('invoice') })
  receipt(@Return('invoice') last: { customer: string; pid: number }): string {
    return `receipt for ${last.customer} (invoiced on pid ${String(last.pid)}, filed on pid ${String(process.pid)})`;
  }
}

/** One instance: the same app in every process. redis() elects the one that schedules. */
export function createApp(url: string): App {
  return new App({
    tasks: [Billing],
    ...redis({ url, name: 'billing-example' }),
    ...bullmq({ url, name: 'billing-example', concurrency: 1 }),
  });
}
