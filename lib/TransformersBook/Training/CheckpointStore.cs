using System.Globalization;
using System.Text.Json;
using TorchSharp;

namespace TransformersBook.Training;

/// <summary>
/// Checkpoints in a folder, one sub-folder per step (step-00001000) holding model.bin (the model's state dict),
/// optimizer.bin (the optimizer's state) and trainer.json (step, history, RNG). Each is written into a temporary
/// folder that is then renamed, so a crash or an interrupt never leaves a half-written checkpoint that resume would pick.
/// </summary>
public sealed class CheckpointStore
{
    const string Prefix = "step-";
    const string ModelFile = "model.bin";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "trainer.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public CheckpointStore(string directory, int keep = 2)
    {
        Directory = Path.GetFullPath(directory);
        Keep = keep;
    }

    public string Directory { get; }

    public int Keep { get; }

    /// <summary>The complete checkpoints, oldest first.</summary>
    public IReadOnlyList<(int Step, string Path)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return Array.Empty<(int, string)>();
        return System.IO.Directory.GetDirectories(Directory, Prefix + "*")
            .Select(path => (Path: path, Name: System.IO.Path.GetFileName(path)))
            .Where(d => int.TryParse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Where(d => File.Exists(System.IO.Path.Combine(d.Path, StateFile)))
            .Select(d => (int.Parse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture), d.Path))
            .OrderBy(d => d.Item1)
            .ToList();
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public (int Step, string Path)? Latest() => List() is { Count: > 0 } all ? all[^1] : null;

    /// <summary>Writes a checkpoint atomically and removes all but the newest <see cref="Keep"/>.</summary>
    public string Save(torch.nn.Module model, torch.optim.Optimizer optimizer, TrainerState state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string final = System.IO.Path.Combine(Directory, $"{Prefix}{state.Step:D8}");
        string temporary = System.IO.Path.Combine(Directory, $".{Prefix}{state.Step:D8}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            model.save(System.IO.Path.Combine(temporary, ModelFile));
            if (optimizer is TorchSharp.Modules.OptimizerHelper helper) helper.save_state_dict(System.IO.Path.Combine(temporary, OptimizerFile));
            File.WriteAllText(System.IO.Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));
            if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, recursive: true);
            System.IO.Directory.Move(temporary, final);
        }
        catch
        {
            if (System.IO.Directory.Exists(temporary)) System.IO.Directory.Delete(temporary, recursive: true);
            throw;
        }
        foreach (var (_, path) in List().SkipLast(Keep)) System.IO.Directory.Delete(path, recursive: true);
        return final;
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/> and returns the trainer state.</summary>
    public static TrainerState Load(string checkpoint, torch.nn.Module model, torch.optim.Optimizer optimizer)
    {
        string stateFile = System.IO.Path.Combine(checkpoint, StateFile);
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(stateFile), Json)
            ?? throw new InvalidDataException($"{stateFile} holds no trainer state.");
        model.load(System.IO.Path.Combine(checkpoint, ModelFile));
        string optimizerFile = System.IO.Path.Combine(checkpoint, OptimizerFile);
        if (optimizer is TorchSharp.Modules.OptimizerHelper helper && File.Exists(optimizerFile)) helper.load_state_dict(optimizerFile);
        return state;
    }

    /// <summary>Deletes every checkpoint in the folder (and leftovers of interrupted writes).</summary>
    public void Clear()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var path in System.IO.Directory.GetDirectories(Directory, Prefix + "*").Concat(System.IO.Directory.GetDirectories(Directory, "." + Prefix + "*.tmp")))
            System.IO.Directory.Delete(path, recursive: true);
    }
}
