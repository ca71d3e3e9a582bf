using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Writes batches of pages on a second thread so decoding and disk writes overlap. Memory is bounded by a fixed set
/// of buffers: a producer that gets ahead waits for one to come back.
/// </summary>
internal sealed class PipelinedPageWriter : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly IO.WriteBehind _writeBehind;
    private readonly BlockingCollection<byte[]> _free;
    private readonly BlockingCollection<Batch> _pending;
    private readonly Task _consumer;
    private Exception? _failure;
    private long _written;

    public PipelinedPageWriter(SafeFileHandle handle, int bufferSize, int depth)
    {
        _handle = handle;
        _writeBehind = new IO.WriteBehind(handle);
        BufferSize = bufferSize;
        _free = new BlockingCollection<byte[]>(depth);
        for (var i = 0; i < depth; i++)
        {
            _free.Add(new byte[bufferSize]);
        }
        _pending = new BlockingCollection<Batch>(depth);
        _consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>A buffer to fill; blocks while every buffer is in flight. Throws the writer's failure if it failed.</summary>
    public byte[] Rent()
    {
        try
        {
            return _free.Take();
        }
        catch (InvalidOperationException)
        {
            throw _failure ?? new InvalidOperationException("page writer stopped");
        }
    }

    /// <summary>Gives back a rented buffer that holds nothing to write.</summary>
    public void Return(byte[] buffer) => _free.Add(buffer);

    /// <summary>Writes a rented buffer's first <paramref name="length"/> bytes at <paramref name="fileOffset"/>; the buffer comes back after.</summary>
    public void Submit(byte[] buffer, int length, long fileOffset) => Submit(buffer, 0, length, fileOffset, release: true);

    /// <summary>
    /// Writes part of a rented buffer; a buffer written in several parts is submitted with <paramref name="release"/>
    /// on its last part only, and comes back once that part is written (parts are written in order).
    /// </summary>
    public void Submit(byte[] buffer, int offset, int length, long fileOffset, bool release)
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        _pending.Add(new Batch(buffer, offset, length, fileOffset, release));
    }

    public int BufferSize { get; }

    /// <summary>Waits for every submitted batch to be written; rethrows a write failure.</summary>
    public void Complete()
    {
        _pending.CompleteAdding();
        _consumer.GetAwaiter().GetResult();
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    public void Dispose()
    {
        if (!_pending.IsAddingCompleted)
        {
            _pending.CompleteAdding();
        }
        _consumer.Wait();
        _pending.Dispose();
        _free.Dispose();
    }

    private void Consume()
    {
        foreach (var batch in _pending.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                continue;
            }
            try
            {
                RandomAccess.Write(_handle, batch.Buffer.AsSpan(batch.Offset, batch.Length), batch.FileOffset);
                _written += batch.Length;
                _writeBehind.Written(_written);
                if (batch.Release)
                {
                    _free.Add(batch.Buffer);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failure = e;
                _free.CompleteAdding();
            }
        }
    }

    private readonly record struct Batch(byte[] Buffer, int Offset, int Length, long FileOffset, bool Release);
}
