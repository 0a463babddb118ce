using Pipeline.Testing;

// Serves the stand-in for GitHub's REST API (tests/Pipeline.Testing/GitHubApiServer: GitHub's documented shapes for
// releases, assets on a separate uploads host, pull requests, deployments; GitHub itself is never reached) until
// stdin closes or the process is stopped. Prints one line: the API address Octokit takes as --github-api-url.
// Usage: GitHubStandIn <token>
if (args.Length != 1 || string.IsNullOrWhiteSpace(args[0]))
{
    Console.Error.WriteLine("usage: GitHubStandIn <token>");
    return 2;
}

using var server = new GitHubApiServer(args[0]);
Console.WriteLine($"{server.BaseAddress}api/v3");
Console.Out.Flush();
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
return 0;
