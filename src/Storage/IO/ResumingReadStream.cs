namespace LitestreamActors.Storage.IO;

/// <summary>
/// A download that picks up where it broke: when reading fails or the stream ends before <c>length</c> bytes, the file is
/// opened again at the byte reached (a ranged read), up to <see cref="MaxResumes"/> times, so a connection reset or a
/// response cut short costs the rest of the file, not the restore (docs/reliability.md). Opening counts too: a backend
/// that reads a whole file when it is opened (SFTP) breaks there.
/// </summary>
public sealed class ResumingReadStream : Stream
{
    public const int MaxResumes = 5;

    private readonly Func<long, CancellationToken, Task<Stream>> _open;
    private readonly long? _length;
    private readonly string _name;
    private readonly CancellationToken _cancellationToken;
    private Stream _inner;
    private long _position;

    private ResumingReadStream(Func<long, CancellationToken, Task<Stream>> open, long? length, string name, Stream first, CancellationToken cancellationToken)
    {
        _open = open;
        _length = length;
        _name = name;
        _inner = first;
        _cancellationToken = cancellationToken;
    }

    /// <summary>How many times the download was opened again.</summary>
    public int Resumes { get; private set; }

    /// <param name="open">Opens the file from an offset to its end.</param>
    /// <param name="length">The file's size when the listing gave one: ending before it counts as a break.</param>
    public static async Task<ResumingReadStream> OpenAsync(Func<long, CancellationToken, Task<Stream>> open, long? length, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new(open, length, name, await open(0, cancellationToken), cancellationToken) { Resumes = attempt };
            }
            catch (StorageException e) when (IsTransient(e) && attempt < MaxResumes)
            {
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            Exception? broke = null;
            try
            {
                var read = _inner.Read(buffer);
                if (read > 0 || buffer.IsEmpty || _length is not { } length || _position >= length)
                {
                    _position += read;
                    return read;
                }
            }
            catch (IOException e)
            {
                broke = e;
            }
            // A backend that downloads on a task of its own (GCS) hands its failure over as its own error.
            catch (StorageException e) when (IsTransient(e))
            {
                broke = e;
            }
            Resume(broke);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Resume(Exception? cause)
    {
        _inner.Dispose();
        while (true)
        {
            if (Resumes == MaxResumes)
            {
                throw new StorageException(
                    $"{_name}: the download broke {MaxResumes + 1} times, the last at byte {_position}: {cause?.Message ?? "the stream ended early"}");
            }
            Thread.Sleep(Backoff(Resumes));
            Resumes++;
            try
            {
                _inner = _open(_position, _cancellationToken).GetAwaiter().GetResult();
                return;
            }
            catch (StorageException e) when (IsTransient(e))
            {
                cause = e;
            }
        }
    }

    // A file that is not there, or not an LTX file, will not appear by asking again.
    private static bool IsTransient(StorageException e) => e is not (Replica.ReplicaFileNotFoundException or Ltx.LtxFormatException);

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(100 * (1 << Math.Min(attempt, 4)));
}
