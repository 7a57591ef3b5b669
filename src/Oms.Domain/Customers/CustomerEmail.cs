namespace Oms.Domain.Customers;

/// <summary>One customer per e-mail address, whatever its case or the spaces around it (as order lists filter by it).</summary>
public static class CustomerEmail
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
