// EPUBCheck on many EPUBs in one JVM: its start-up and schema loading cost
// about 4 s, checking one more small EPUB about 0.1 s. Run in source-file mode:
//   java -cp epubcheck.jar EpubCheckBatch.java BOOK.epub REPORT.json [...]
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
  public static void main(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      new EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
    }
  }
}
