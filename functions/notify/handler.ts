/** notify: domain events and project alarms → SNS for people, PagerDuty Events API v2 for incidents. */
import { awsNotifyPorts } from '../../shared/aws/wiring/notify';
import { makePagerDutyClient } from '../../shared/notify/pagerduty';
import { notifyConfigSchema, once, readConfig } from '../../shared/runtime/config';
import { makeNotifyHandler } from '../../shared/runtime/notify-handler';

const deps = once(() => {
  const config = readConfig(notifyConfigSchema, process.env);
  const ports = awsNotifyPorts(config);
  const secretName = config.PAGERDUTY_ROUTING_KEY_SECRET;
  return {
    notify: {
      publishSns: ports.publishSns,
      ...(ports.publishApprovals ? { publishApprovals: ports.publishApprovals } : {}),
      links: { runbookBaseUrl: config.RUNBOOK_BASE_URL, consoleBaseUrl: `https://${config.AWS_REGION}.console.aws.amazon.com/sagemaker/home?region=${config.AWS_REGION}` },
      ...(secretName ? { pagerDuty: makePagerDutyClient({ routingKey: () => ports.readSecret(secretName) }) } : {}),
    },
    persistence: ports.persistence,
  };
});

export const handler = makeNotifyHandler(deps);
