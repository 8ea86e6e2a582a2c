import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

function rootFieldOf(operation: OperationDefinitionNode | undefined): string | null {
  const field = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return field && field.kind === Kind.FIELD ? field.name.value : null;
}

/** Prometheus metrics of one server: HTTP requests and GraphQL operations, counts and latencies. */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation latency',
    labelNames: ['operation', 'type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  httpMiddleware() {
    return (request: Request, response: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer();
      response.on('finish', () => {
        // The matched route pattern, not the raw URL, keeps label cardinality bounded.
        const route = (request.route?.path as string | undefined) ?? (response.statusCode === 404 ? 'unmatched' : request.baseUrl || request.path);
        this.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
        stop({ method: request.method, route });
      });
      next();
    };
  }

  apolloPlugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(requestContext) {
            // Labelled by the first root field (bounded by the schema), not by the operation name a
            // client chooses, which would let anyone create unbounded metric series.
            const operation = rootFieldOf(requestContext.operation) ?? 'invalid';
            const type = requestContext.operation?.operation ?? 'unknown';
            const outcome = requestContext.errors?.length ? 'error' : 'success';
            metrics.operations.inc({ operation, type, outcome });
            metrics.operationDuration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }
}
