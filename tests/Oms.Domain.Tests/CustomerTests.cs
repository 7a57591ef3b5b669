using Oms.Domain.Common;
using Oms.Domain.Customers;

namespace Oms.Domain.Tests;

public sealed class CustomerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_NormalisesTheEmail_AndRaisesCreated()
    {
        var c = Customer.Create(" Ada@Example.com", "Ada", null, Now);
        Assert.Equal("ada@example.com", c.Email);
        Assert.Equal("customer.created", Assert.Single(c.DomainEvents).Type);
    }

    [Fact]
    public void Orders_AddUpInTheFigures()
    {
        var c = Customer.Create("ada@example.com", "Ada", null, Now);
        c.OrderPlaced(new Money(2_000, "EUR"), Now);
        c.OrderPlaced(new Money(3_000, "EUR"), Now.AddDays(1));
        c.OrderPlaced(new Money(1_000, "EUR"), Now.AddDays(2));
        Assert.Equal(3, c.Figures.Orders);
        Assert.Equal(new CurrencyValue("EUR", 6_000, 3), Assert.Single(c.Figures.Value));
        Assert.Equal(Now.AddDays(2), c.Figures.LastOrderAt);
    }

    [Fact]
    public void A_merge_AddsTheDuplicatesFigures_AndTheDuplicateRefusesChangesAfterwards()
    {
        var keep = Customer.Create("ada@example.com", "Ada", null, Now);
        keep.OrderPlaced(new Money(2_000, "EUR"), Now);
        var duplicate = Customer.Create("ada.lovelace@example.org", null, "+44 20 7946 0000", Now);
        duplicate.OrderPlaced(new Money(5_000, "EUR"), Now.AddDays(-10));
        duplicate.Tag(["vip"], Now);
        duplicate.ConsentTo(true, "checkout", Now.AddDays(-10));

        keep.Absorb(duplicate, Now.AddDays(1));

        Assert.Equal(2, keep.Figures.Orders);
        Assert.Equal(new CurrencyValue("EUR", 7_000, 2), Assert.Single(keep.Figures.Value));
        Assert.Equal(Now.AddDays(-10), keep.Figures.FirstOrderAt);
        Assert.Equal("+44 20 7946 0000", keep.Phone);
        Assert.Equal(["vip"], keep.Tags);
        Assert.True(keep.Consent?.Granted);
        Assert.Equal(keep.Id, duplicate.MergedInto);
        Assert.Contains(duplicate.DomainEvents, e => e is CustomerChanged { Type: "customer.merged" } m && m.MergedInto == keep.Id.Value);
        Assert.Equal("customer.merged", Assert.Throws<ConflictException>(() => duplicate.OrderPlaced(new Money(1, "EUR"), Now)).Code);
        Assert.Equal("customer.merged", Assert.Throws<ConflictException>(() => keep.Absorb(duplicate, Now)).Code);
        Assert.Equal("customer.merge_with_itself", Assert.Throws<DomainException>(() => keep.Absorb(keep, Now)).Code);
    }

    [Fact]
    public void Erase_KeepsTheFigures_AndNothingThatIdentifiesThePerson()
    {
        var c = Customer.Create("ada@example.com", "Ada Lovelace", "+49 30 1234567", Now);
        c.OrderPlaced(new Money(2_000, "EUR"), Now);
        c.Tag(["vip"], Now);
        c.ConsentTo(true, "checkout", Now);
        var figures = c.Figures;

        c.Erase(Now.AddDays(1));

        Assert.Equal(figures, c.Figures);
        Assert.DoesNotContain("ada", c.Email);
        Assert.Equal(Customer.Erased, c.Name);
        Assert.Null(c.Phone);
        Assert.Null(c.Consent);
        Assert.Empty(c.Tags);
        Assert.Equal("customer.erased", c.DomainEvents[^1].Type);
        Assert.Equal("customer.erased", Assert.Throws<ConflictException>(() => c.Erase(Now)).Code);
        Assert.Equal("customer.erased", Assert.Throws<ConflictException>(() => c.Tag(["again"], Now)).Code);
        Assert.Equal("customer.erased", Assert.Throws<ConflictException>(() => c.LogContact(ContactChannel.Call, "Called back", "staff", null, Now)).Code);
    }

    [Fact]
    public void Tags_AreTrimmed_Unique_AndBounded()
    {
        var c = Customer.Create("ada@example.com", null, null, Now);
        c.Tag([" vip ", "vip", "", "wholesale"], Now);
        Assert.Equal(["vip", "wholesale"], c.Tags);
        Assert.Equal("customer.too_many_tags",
            Assert.Throws<DomainException>(() => c.Tag(Enumerable.Range(0, Customer.MaxTags).Select(i => $"t{i}"), Now)).Code);
        Assert.Equal(["vip", "wholesale"], c.Tags); // a refused change leaves the tags as they were
    }

    [Fact]
    public void A_contact_needs_a_summary_and_cannot_be_in_the_future()
    {
        var c = Customer.Create("ada@example.com", null, null, Now);
        Assert.Equal("customer.contact_summary_required", Assert.Throws<DomainException>(() => c.LogContact(ContactChannel.Note, "  ", "staff", null, Now)).Code);
        Assert.Equal("customer.contact_in_the_future", Assert.Throws<DomainException>(() => c.LogContact(ContactChannel.Call, "x", "staff", Now.AddHours(1), Now)).Code);
        var logged = c.LogContact(ContactChannel.Chat, " Asked about sizes ", "staff", Now.AddHours(-2), Now);
        Assert.Equal(("Asked about sizes", Now.AddHours(-2), c.Id), (logged.Summary, logged.At, logged.CustomerId));
    }

    [Fact]
    public void A_low_rating_asks_for_a_follow_up_and_a_good_one_does_not()
    {
        var c = Customer.Create("ada@example.com", null, null, Now);
        c.Rated(3, Now);
        Assert.False(c.FollowUp);
        c.Rated(2, Now);
        Assert.True(c.FollowUp);
    }
}
