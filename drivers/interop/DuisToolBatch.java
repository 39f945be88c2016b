// Runs many Sign/Validate calls of the DCC Boxed signing tool (tool.jar) in one JVM, so that tests can
// exercise hundreds of documents without paying JVM start-up for each. It calls the tool's own
// main_aux entry points, which return the same result codes as the command-line exit codes.
//
// Usage: java -cp tool.jar DuisToolBatch.java MANIFEST
// MANIFEST has one job per line, tab-separated: MODE (Sign|Validate), STDOUT-FILE, STDERR-FILE, ARGS...
// For each job one line "<line number>\t<result code>" is printed to the real standard output.
//
// The tool calls System.exit(2) when a document does not parse (e.g. it has a DOCTYPE). To keep the batch
// going, each input is first read with the tool's own loader (Util.load_duis_file, which throws instead
// of exiting); a document it cannot read gets result code 2 and the tool's own message. Should the tool
// still end the JVM, the caller resumes the batch after that job.
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

public final class DuisToolBatch {
    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        List<String> lines = Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t");
            String[] toolArgs = Arrays.copyOfRange(fields, 3, fields.length);
            int code;
            try (PrintStream out = new PrintStream(new FileOutputStream(fields[1]), true, "UTF-8");
                 PrintStream err = new PrintStream(new FileOutputStream(fields[2]), true, "UTF-8")) {
                System.setOut(out);
                System.setErr(err);
                try {
                    Object result;
                    String input = toolArgs.length > 0 ? toolArgs[0] : "";
                    boolean readable = true;
                    if (!input.equals("-")) {
                        try {
                            uk.co.smartdcc.boxed.xmldsig.Util.load_duis_file(input);
                        } catch (Exception e) {
                            err.println("[E] message file could not parse: " + e.getMessage());
                            readable = false;
                        }
                    }
                    if (!readable) {
                        result = uk.co.smartdcc.boxed.xmldsig.ResultCode.GENERIC_ERROR;
                    } else if (fields[0].equals("Sign")) {
                        result = uk.co.smartdcc.boxed.xmldsig.Sign.main_aux(toolArgs);
                    } else if (fields[0].equals("Validate")) {
                        result = uk.co.smartdcc.boxed.xmldsig.Validate.main_aux(toolArgs);
                    } else {
                        throw new IllegalArgumentException("unknown mode " + fields[0]);
                    }
                    code = ((uk.co.smartdcc.boxed.xmldsig.ResultCode) result).value();
                } catch (Exception e) {
                    e.printStackTrace(err);
                    code = 2;
                } finally {
                    System.setOut(realOut);
                    System.setErr(realErr);
                }
            }
            realOut.println(i + "\t" + code);
        }
        realOut.flush();
    }
}
