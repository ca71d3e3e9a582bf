using Akka.Actor;
using Akka.Configuration;
using AkkaFloor;

// Usage: AkkaFloor runtime|akka. Prints the process's peak resident memory in MB after a short hold.
if (args is not ["runtime"] and not ["akka"])
{
    Console.Error.WriteLine("usage: AkkaFloor runtime|akka");
    return 2;
}
if (args[0] == "akka")
{
    using var system = ActorSystem.Create("floor", ConfigurationFactory.ParseString("akka { loglevel = WARNING, stdout-loglevel = WARNING }"));
    var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
    for (var i = 0; i < 1000; i++)
    {
        await echo.Ask<string>("ping");
    }
    await Task.Delay(TimeSpan.FromSeconds(2));
    Console.WriteLine(PeakResidentMegabytes());
    return 0;
}
await Task.Delay(TimeSpan.FromSeconds(2));
Console.WriteLine(PeakResidentMegabytes());
return 0;

static string PeakResidentMegabytes() =>
    (long.Parse(File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0)
    .ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
