using System.Runtime.InteropServices;
using LitestreamActors.Cli;

using var cancellation = new CancellationTokenSource();
var received = new ReceivedSignal();
InheritedSignals.RestoreInterrupt();
// Registered explicitly (not through Console.CancelKeyPress) so SIGINT also stops a replicate started in the
// background by a shell, which starts it with SIGINT ignored; upstream (Go's signal.Notify) behaves the same way.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await CliApplication.RunAsync(args, Console.Out, Console.Error, received, cancellation.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    received.Last = context.Signal;
    cancellation.Cancel();
}
