import VaultCLI
import VaultCrypto

#if canImport(Glibc)
import Glibc
#endif

// Refuse core dumps and ptrace attach before any secret is read.
ProcessHardening.apply()
exit(VaultCLI.main(arguments: Array(CommandLine.arguments.dropFirst()), context: .process()))
