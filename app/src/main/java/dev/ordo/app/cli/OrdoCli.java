package dev.ordo.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./ordo <command>}: the operator's tools. {@code token} and {@code console} work with the
 * local key alone; the others ask the running app ({@code --url}) as an admin, and exit with
 * {@link ExitCodes}.
 */
@Command(name = "ordo", mixinStandardHelpOptions = true,
    description = "Runs the Ordo app (no command), or one of its operator's tools against a running app.",
    subcommands = {TokenCommand.class, ConsoleCommand.class, RebuildCommand.class, VerifyCommand.class,
        ImportCommand.class, EventsCommand.class, FlagsCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (verify: nothing differs)", "1:the operation failed (verify: differences left)",
        "2:wrong arguments", "3:the app does not answer", "4:the app refused the caller (401, 403)",
        "5:the app refused the request (its problem detail is printed)", "6:the app failed (5xx)"})
public final class OrdoCli {

  private OrdoCli() {}

  /** Whether the arguments ask for a tool rather than the app. */
  public static boolean handles(String[] args) {
    return args.length > 0 && (args[0].equals("help") || args[0].equals("--help")
        || new CommandLine(new OrdoCli()).getSubcommands().containsKey(args[0]));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new OrdoCli());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof AppConnection.Failure failure) {
        line.getErr().println(line.getCommandName() + ": " + failure.getMessage());
        return failure.exitCode;
      }
      throw e;
    });
    if (args.length > 0 && args[0].equals("help")) {
      args = new String[] {"--help"};
    }
    return cli.execute(args);
  }
}
