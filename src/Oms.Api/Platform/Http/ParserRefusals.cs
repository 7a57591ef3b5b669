using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Oms.Api.Platform.Http;

/// <summary>
/// Kestrel's HTTP/1.1 parser refuses some requests before any of the API's code runs: a NUL or another control
/// character in the path or a header, a malformed request line, a target or headers past Kestrel's own limits. It
/// answers them with an empty 4xx and <c>Connection: close</c>, and offers no hook for the body. This connection
/// middleware finds such an answer as Kestrel writes it (an HTTP/1.1 4xx head with <c>Content-Length: 0</c> and
/// <c>Connection: close</c>, which the API itself never sends) and gives it a problem+json body like every other refusal.
/// Everything else passes through untouched; over TLS it sees only ciphertext and changes nothing.
/// </summary>
public static class ParserRefusals
{
    public static void Use(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => context =>
        {
            context.Transport = new Pipe(context.Transport);
            return next(context);
        });

    private static readonly byte[] Start = "HTTP/1.1 4"u8.ToArray();
    private static readonly byte[] EmptyBody = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] Close = "\r\nConnection: close\r\n"u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>The answer with a problem body, or null when <paramref name="head"/> is not one of Kestrel's own refusals.</summary>
    public static byte[]? WithProblem(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith(Start) || !head.EndsWith(HeadEnd) || head.IndexOf(EmptyBody) < 0 || head.IndexOf(Close) < 0) return null;
        var text = Encoding.ASCII.GetString(head);
        var statusLineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (!int.TryParse(text.AsSpan(9, 3), out var status)) return null;
        var code = Errors.ProblemResponses.CodeFor(status is 408 or 414 or 431 ? status : 400);
        var detail = status switch
        {
            414 => "The address (path and query) is longer than the server accepts.",
            431 => "The headers are larger than the server accepts.",
            408 => "The request's headers did not arrive in time.",
            _ => "The request is not valid HTTP: a control character (such as NUL) in the path or a header, or a malformed request line or header.",
        };
        var trace = $"00-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-00";
        var title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "about:blank", ["title"] = title.Length > 0 ? title : "Error", ["status"] = status, ["detail"] = detail, ["code"] = code, ["traceId"] = trace,
        });
        var headers = text[(statusLineEnd + 2)..^4].Split("\r\n").Where(h => !h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var rewritten = $"{text[..statusLineEnd]}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n{string.Join("\r\n", headers)}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(rewritten), .. body];
    }

    private sealed class Pipe(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;
        public PipeWriter Output { get; } = new Writer(inner.Output);
    }

    /// <summary>Passes every write through; a write that is a whole refusal head is replaced by <see cref="WithProblem"/>.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _handed;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _handed = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_handed = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            if (bytes >= Start.Length && _handed.Length >= bytes && _handed.Span[0] == (byte)'H' && WithProblem(_handed.Span[..bytes]) is { } answer)
            {
                answer.CopyTo(inner.GetSpan(answer.Length));
                inner.Advance(answer.Length);
                return;
            }
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
        // Kestrel writes its refusal through GetSpan/Advance; a buffer written whole passes as it is.
        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(source, cancellationToken);
    }
}
