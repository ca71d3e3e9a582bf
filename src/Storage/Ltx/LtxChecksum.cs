namespace LitestreamActors.Storage.Ltx;

public static class LtxChecksum
{
    /// <summary>Bit 63, set on every stored checksum so a valid one is never zero.</summary>
    public const ulong Flag = 0x8000000000000000UL;
}
