using System.Runtime.InteropServices;

namespace Planetary.Testing.Processes;

/// <summary>Sends POSIX signals; .NET's <see cref="System.Diagnostics.Process"/> can only SIGKILL.</summary>
internal static class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to terminate (SIGTERM). False if it no longer exists.</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
