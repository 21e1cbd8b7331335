package dev.seatgate.loadtest;

/**
 * The load generator's entry point. The module builds today so that its place in the repository is set;
 * the scenarios (login storm, steady heartbeats, purchases activating mid-run), the open-model arrival
 * rate and the invariant checks come with the performance work (issue 6).
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) {
        System.out.println("""
                usage: java -jar loadtest/target/seatgate-loadtest.jar --help

                seatgate's load generator. Not written yet: the scenarios, the arrival-rate model and the
                invariant checks arrive with the performance work. Until then, see README.md for curl examples.
                """);
        if (args.length == 0 || !(args[0].equals("--help") || args[0].equals("-h"))) {
            System.exit(2);
        }
    }
}
