import type { DecisionStep } from '../routing/call-record.js';
import type { AccessDecision, AccessQuery, AccessView, ChainPhase, PolicyStep, StepContext } from './chain-types.js';
import type { GatewayError } from '../errors.js';
import { authenticate } from './steps/authenticate.js';
import { consumerStatus } from './steps/consumer-status.js';
import { ipRules } from './steps/ip-rules.js';
import { modelPermission } from './steps/model-permission.js';
import { modelResolution } from './steps/model-resolution.js';
import { requestCheck } from './steps/request-check.js';
import { scope } from './steps/scope.js';
import { subscription } from './steps/subscription.js';
import { tenantStatus } from './steps/tenant-status.js';

/**
 * The decision chain in DESIGN §1 order. The first deny ends it. Rate, token and budget limits
 * (the `limit` layer) join at the end of the after-body phase when they exist.
 */
export const decisionChain: readonly PolicyStep[] = [
  authenticate,
  consumerStatus,
  tenantStatus,
  ipRules,
  requestCheck,
  modelResolution,
  scope,
  modelPermission,
  subscription,
];

/**
 * One evaluation of the chain. A live call runs it in two parts (`before-body` when the request
 * arrives, `after-body` once the body is validated); a dry run runs it whole. Both run these very
 * steps in this very order, so an explainer cannot disagree with the gateway.
 */
export class ChainRun {
  readonly steps: DecisionStep[] = [];
  denial: GatewayError | null = null;

  constructor(readonly context: StepContext, private readonly chain: readonly PolicyStep[] = decisionChain) {}

  /** Runs the steps of `phase` (every step when omitted) unless an earlier step denied. */
  run(phase?: ChainPhase): this {
    for (const step of this.chain) {
      if (this.denial !== null) break;
      if (phase !== undefined && step.phase !== phase) continue;
      const result = step.run(this.context);
      this.steps.push({ layer: step.layer, outcome: result.outcome, detail: result.detail });
      if (result.outcome === 'deny') this.denial = result.error;
    }
    return this;
  }

  decision(): AccessDecision {
    const { principal, model } = this.context;
    const known = { steps: this.steps, ...(principal === undefined ? {} : { principal }), ...(model === undefined ? {} : { model }) };
    if (this.denial === null) return { allowed: true, status: 200, ...known };
    const error = this.denial;
    return { allowed: false, status: error.status, code: error.code, layer: error.layer, error, ...known };
  }
}

/** The whole chain for one query: the dry run of `can-i` and `access/check`, and each model of `/v1/models`. */
export function evaluate(view: AccessView, query: AccessQuery, now = Date.now()): AccessDecision {
  return new ChainRun({ view, query, now }).run().decision();
}
