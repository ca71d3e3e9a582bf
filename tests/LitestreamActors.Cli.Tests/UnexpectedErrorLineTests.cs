namespace LitestreamActors.Cli.Tests;

public sealed class UnexpectedErrorLineTests
{
    [Fact]
    public void A_plain_exception_is_its_type_and_message_on_one_line()
    {
        Assert.Equal(
            "Error: unexpected InvalidOperationException: first second",
            UnexpectedErrorLine.For(new InvalidOperationException("first\nsecond")));
    }

    [Fact]
    public void A_failed_static_initializer_names_its_type_and_the_innermost_cause()
    {
        var failure = new TypeInitializationException(
            "Some.Namespace.Holder", new InvalidOperationException("outer", new ArgumentNullException("element")));
        Assert.Equal(
            "Error: unexpected ArgumentNullException (initializing Some.Namespace.Holder): Value cannot be null. (Parameter 'element')",
            UnexpectedErrorLine.For(failure));
    }

    [Fact]
    public void Wrapped_failures_show_the_innermost_cause()
    {
        var failure = new AggregateException(new AggregateException(new FormatException("bad digits")));
        Assert.Equal("Error: unexpected FormatException: bad digits", UnexpectedErrorLine.For(failure));
    }
}
