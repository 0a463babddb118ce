namespace Ledger;

/// <summary>An account that refuses to go below zero.</summary>
public sealed class Account
{
    private readonly List<decimal> _entries = [];

    public decimal Balance => _entries.Sum();

    public void Deposit(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        _entries.Add(amount);
    }

    public bool TryWithdraw(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (amount > Balance) return false;
        _entries.Add(-amount);
        return true;
    }
}
