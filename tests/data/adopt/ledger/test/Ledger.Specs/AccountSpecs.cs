namespace Ledger.Specs;

public sealed class AccountSpecs
{
    [Fact]
    public void A_deposit_raises_the_balance()
    {
        var account = new Account();
        account.Deposit(12.5m);
        Assert.Equal(12.5m, account.Balance);
    }

    [Fact]
    public void A_withdrawal_beyond_the_balance_is_refused()
    {
        var account = new Account();
        account.Deposit(10m);
        Assert.False(account.TryWithdraw(10.01m));
        Assert.True(account.TryWithdraw(4m));
        Assert.Equal(6m, account.Balance);
    }

    [Fact]
    public void Amounts_must_be_positive() => Assert.Throws<ArgumentOutOfRangeException>(() => new Account().Deposit(0m));
}
