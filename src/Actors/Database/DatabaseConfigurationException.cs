namespace LitestreamActors.Actors.Database;

/// <summary>A database whose configuration cannot work; its actor stops alone and its status shows the reason.</summary>
public sealed class DatabaseConfigurationException(string message) : Exception(message);
