// The seam between the emulated cluster (sandbox/kube + its deployment controller) and the
// processes its pods "run": the dataplane provides a runtime that starts real gRPC servers for
// the images it knows, so an emulated pod has a real address the emulated ALB can route to.

export interface RunningContainer {
  /** Address the pod serves on (pod IP and container port in a real cluster). */
  ip: string;
  port: number;
  stop(): Promise<void>;
}

export interface ContainerRuntime {
  /** Start one container of `image` listening for `containerPort`; resolves when it accepts connections. */
  start(spec: { image: string; containerPort: number; env: Record<string, string>; podName: string }): Promise<RunningContainer>;
}

/** A runtime that runs nothing (pods become ready with no address behind them). */
export const nullRuntime: ContainerRuntime = {
  async start() {
    return { ip: '127.0.0.1', port: 0, stop: async () => {} };
  },
};
