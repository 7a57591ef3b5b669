using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Oms.Api.Tests.Support;

/// <summary>
/// A real browser for tests: headless Chromium (Debian's <c>chromium</c> package) driven over the DevTools protocol,
/// one page. Runs as root with <c>--no-sandbox</c> (the sandbox refuses root), in a throwaway profile.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _id;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? Executable =>
        new[] { Environment.GetEnvironmentVariable("OMS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static async Task<Chromium> StartAsync(int width = 1400, int height = 2000)
    {
        var executable = Executable ?? throw new InvalidOperationException(
            "Chromium is not installed: install Debian's chromium package (apt-get install chromium; .ci/run does) or set OMS_CHROMIUM.");
        var profile = Directory.CreateTempSubdirectory("oms-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                     "--hide-scrollbars", "--remote-debugging-port=0", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            var waited = Stopwatch.StartNew();
            while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile)).Length < 2)
            {
                if (process.HasExited) throw new InvalidOperationException($"Chromium exited with {process.ExitCode} before it listened.");
                if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("Chromium did not open its DevTools port in 30 s.");
                await Task.Delay(50);
            }
            var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a DevTools command and returns its result (events in between are skipped).</summary>
    public async Task<JsonNode> SendAsync(string method, object? parameters = null)
    {
        var id = ++_id;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            var reply = JsonNode.Parse(Encoding.UTF8.GetString(received.ToArray()))!;
            if ((int?)reply["id"] != id) continue;
            if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return reply["result"]!;
        }
    }

    public async Task NavigateAsync(string url) => await SendAsync("Page.navigate", new { url });

    /// <summary>Runs a script in the page (awaiting a promise it returns) and gives back its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result["exceptionDetails"] is { } exception) throw new InvalidOperationException($"The page threw: {exception.ToJsonString()}");
        return result["result"]?["value"];
    }

    /// <summary>Waits until <paramref name="expression"/> is true in the page.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, Func<Task<string>>? explain = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((bool?)await EvaluateAsync($"!!({expression})") == true) return;
            }
            catch (InvalidOperationException) when (waited.Elapsed < timeout)
            {
                // The page is between documents.
            }
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"'{expression}' did not hold within {timeout.TotalSeconds} s. {(explain is null ? "" : await explain())}");
            await Task.Delay(100);
        }
    }

    /// <summary>A PNG of the window (size it with StartAsync).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png" });
        return Convert.FromBase64String((string)result["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException) { }
        _socket.Dispose();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
