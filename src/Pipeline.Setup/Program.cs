namespace Pipeline.Setup;

internal static class Program
{
    public static int Main(string[] args) => SetupCommand.Run(args, Console.Out);
}
