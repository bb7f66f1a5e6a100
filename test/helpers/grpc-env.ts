// Import first: grpc-js reads this at load time. With it, a `dns://<server>/name` target asks
// that DNS server (the sandbox's) instead of the system resolver.
process.env.GRPC_NODE_USE_ALTERNATIVE_RESOLVER = 'true';
export {};
