using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Oms.Api.Tests.Support;

/// <summary>
/// Forwards TCP connections to a server, and can be cut: open connections are dropped and new ones refused, as when
/// the server goes down; <see cref="Restore"/> lets them through again on the same port. <see cref="LoseAnswerTo"/>
/// drops a connection once the client has sent a given text, after the server got it but before its answer reaches
/// the client: the server does the work, and the client cannot know.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Accept(_listener, _stop.Token);
    }

    public int Port { get; }

    private (byte[] Text, bool ThenCut, TaskCompletionSource Lost)? _loseAnswer;

    /// <summary>
    /// The next time a client sends <paramref name="text"/> (in one read), it reaches the server, nothing comes back,
    /// and after <paramref name="serverTime"/> the connection is dropped; with <paramref name="thenCut"/> everything is
    /// cut as well (<see cref="Cut"/>). The task completes when that happened.
    /// </summary>
    public Task LoseAnswerTo(string text, TimeSpan serverTime, bool thenCut = false)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loseAnswer = (System.Text.Encoding.ASCII.GetBytes(text), thenCut, lost);
        _serverTime = serverTime;
        return lost.Task;
    }

    private TimeSpan _serverTime;

    public void Cut()
    {
        _stop.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    public void Restore()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        Accept(_listener, _stop.Token);
    }

    private void Accept(TcpListener listener, CancellationToken ct) => _ = Task.Run(async () =>
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(ct); }
            catch { return; }
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(_target, ct); }
            catch { inbound.Dispose(); outbound.Dispose(); continue; }
            lock (_open) { _open.Add(inbound); _open.Add(outbound); }
            var answering = new StrongBox<bool>(true);
            _ = Pump(inbound, outbound, toServer: true, answering, ct);
            _ = Pump(outbound, inbound, toServer: false, answering, ct);
        }
    }, ct);

    private async Task Pump(TcpClient from, TcpClient to, bool toServer, StrongBox<bool> answering, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer, ct)) > 0)
            {
                if (!toServer && !answering.Value) continue; // the answer is lost
                var lose = toServer && _loseAnswer is { } l && buffer.AsSpan(0, read).IndexOf(l.Text) >= 0 ? _loseAnswer : null;
                if (lose is not null)
                {
                    _loseAnswer = null;
                    answering.Value = false;
                }
                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), ct);
                if (lose is { } dropped)
                    _ = Task.Run(async () =>
                    {
                        await Task.Delay(_serverTime, CancellationToken.None); // the rest of the request still reaches the server meanwhile
                        from.Dispose();
                        to.Dispose();
                        if (dropped.ThenCut) Cut();
                        dropped.Lost.TrySetResult();
                    }, CancellationToken.None);
            }
        }
        catch { /* cut */ }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
