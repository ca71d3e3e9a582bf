namespace LitestreamActors.TestSupport;

/// <summary>
/// The ledger load's tables: each transaction of a writer inserts rows into <c>t</c> and records that writer's running
/// row count and sum of <c>h</c> in <c>ledger</c>, so any committed state (a restore at any TXID) can be checked.
/// </summary>
public static class Ledger
{
    public const string Schema = """
        PRAGMA journal_mode = wal;
        CREATE TABLE t(id INTEGER PRIMARY KEY, w INTEGER NOT NULL, h INTEGER NOT NULL, v BLOB);
        CREATE TABLE ledger(w INTEGER PRIMARY KEY, seq INTEGER NOT NULL, rows INTEGER NOT NULL, hsum INTEGER NOT NULL);

        """;

    // Every writer whose rows disagree with its ledger row, and rows of a writer the ledger does not know.
    public const string DisagreementQuery = """
        WITH c AS (SELECT w, count(*) AS n, sum(h) AS s FROM t GROUP BY w)
        SELECT 'writer ' || l.w || ': ledger ' || l.rows || ' rows, sum ' || l.hsum || '; table ' || coalesce(c.n, 0) || ' rows, sum ' || coalesce(c.s, 0)
          FROM ledger l LEFT JOIN c USING (w) WHERE l.rows != coalesce(c.n, 0) OR l.hsum != coalesce(c.s, 0)
        UNION ALL
        SELECT 'writer ' || c.w || ': ' || c.n || ' rows and no ledger row' FROM c WHERE c.w NOT IN (SELECT w FROM ledger);

        """;

    public const string RowsQuery = "SELECT coalesce(sum(rows), 0) FROM ledger;\n";

    /// <summary>Null when the database's rows agree with its ledger; otherwise each disagreement.</summary>
    public static string? Problem(string database) => ProblemIn(Sqlite3.Execute(database, DisagreementQuery));

    /// <summary>The rows the ledger counts over every writer.</summary>
    public static long Rows(string database) => long.Parse(Sqlite3.Execute(database, RowsQuery).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The disagreements <see cref="DisagreementQuery"/> printed (through any reader); null when none.</summary>
    public static string? ProblemIn(string disagreements) => disagreements.Trim() is { Length: > 0 } lines ? lines : null;
}
