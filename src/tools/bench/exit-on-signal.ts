// Preloaded (`node --require`) into every Node process `make profile` runs. The engine ends its
// plugins — the dynamic providers among them — with a signal, and a process killed by a signal
// never writes the profiles `--cpu-prof` and `--heap-prof` save at exit; exiting on the signal
// instead lets V8 write them, so the providers' costs show up beside the program's.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
