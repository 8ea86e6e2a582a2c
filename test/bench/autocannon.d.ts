/** The part of autocannon 8's programmatic API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  interface Histogram {
    average: number;
    total: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    mismatches?: number;
  }
  interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    requests?: Record<string, unknown>[];
    verifyBody?: (body: string) => boolean;
  }
  function autocannon(options: Options): Promise<Result>;
  namespace autocannon {
    export { Options, Result };
  }
  export = autocannon;
}
