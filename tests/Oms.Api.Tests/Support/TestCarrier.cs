using System.Collections.Concurrent;
using Oms.Domain.Fulfilment;
using Oms.Infrastructure.Carriers;

namespace Oms.Api.Tests.Support;

/// <summary>
/// A carrier that sells labels, as a carrier's API does: a request with an idempotency key it has seen returns the
/// label it sold for it. Registered beside the built-in manual carrier as <c>parcelpost</c>.
/// </summary>
public sealed class TestCarrier : ICarrier
{
    private int _sold;

    public string Code => "parcelpost";

    /// <summary>Every label request, in order, by its idempotency key.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Labels sold, by idempotency key.</summary>
    public ConcurrentDictionary<string, Label> Sold { get; } = new();

    public Task<Label> CreateLabelAsync(LabelRequest request, CancellationToken ct)
    {
        Requests.Enqueue(request.IdempotencyKey);
        return Task.FromResult(Sold.GetOrAdd(request.IdempotencyKey, _ =>
        {
            var number = $"PP{Interlocked.Increment(ref _sold):D8}";
            return new Label(number, $"https://parcelpost.example/{number}");
        }));
    }

    public TrackingStatus? Normalise(string carrierCode) => Shipment.ParseStatus(carrierCode);
}
