namespace LitestreamActors.Storage.Ltx;

/// <summary>How page data is compressed inside an LTX file.</summary>
public enum LtxPageEncoding
{
    /// <summary>Flag 0x0001, u32 size, raw LZ4 block (Litestream 0.5.16+). Our default.</summary>
    SizePrefixedBlock,

    /// <summary>Flag 0, one LZ4 frame per page (Litestream 0.5.0–0.5.15; still read by every 0.5 release).</summary>
    Lz4Frame,
}
