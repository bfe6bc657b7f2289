package org.assemblypay.ussd;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a screen out within a {@link ScreenBudget}: title, numbered lines, and {@code 98. More} /
 * {@code 0. Back} footers when the lines need several pages. Anything that still does not fit is
 * shortened; nothing it returns is over budget.
 */
final class ScreenRenderer {

  static final String MORE_INPUT = "98";
  static final String BACK_INPUT = "0";
  static final String HOME_INPUT = "00";
  private static final String ELLIPSIS = "..";

  /** One rendered page: its text and the range {@code [firstLine, endLine)} it shows. */
  record Page(String text, int page, int pageCount, int firstLine, int endLine) {
    boolean hasMore() {
      return page + 1 < pageCount;
    }
  }

  private ScreenRenderer() {}

  static Page render(
      String title,
      List<String> lines,
      int page,
      ScreenBudget budget,
      String moreLabel,
      String backLabel) {
    return render(null, title, lines, page, budget, moreLabel, backLabel);
  }

  /**
   * Renders a page; a {@code reason} (e.g. "Invalid choice.") goes above the title without moving
   * the page boundaries the user has seen (the page is shortened instead).
   */
  static Page render(
      String reason,
      String title,
      List<String> lines,
      int page,
      ScreenBudget budget,
      String moreLabel,
      String backLabel) {
    String more = MORE_INPUT + ". " + moreLabel;
    String back = BACK_INPUT + ". " + backLabel;
    List<int[]> pages = paginate(title, lines, budget, more, back);
    int index = Math.max(0, Math.min(page, pages.size() - 1));
    int[] range = pages.get(index);
    List<String> footer = new ArrayList<>();
    if (index + 1 < pages.size()) {
      footer.add(more);
    }
    if (index > 0) {
      footer.add(back);
    }
    String heading = reason == null ? title : reason + "\n" + title;
    String text =
        composeFitting(heading, new ArrayList<>(lines.subList(range[0], range[1])), footer, budget);
    return new Page(text, index, pages.size(), range[0], range[1]);
  }

  static List<int[]> paginate(
      String title, List<String> lines, ScreenBudget budget, String more, String back) {
    List<int[]> pages = new ArrayList<>();
    int n = lines.size();
    int i = 0;
    do {
      String backLine = pages.isEmpty() ? null : back;
      int j = i;
      while (j < n) {
        boolean needMore = j + 1 < n;
        if (budget.fits(
            compose(title, lines.subList(i, j + 1), needMore ? more : null, backLine))) {
          j++;
        } else {
          break;
        }
      }
      if (j == i && n > 0) {
        j = i + 1; // one line per page at least; composeFitting shortens it
      }
      pages.add(new int[] {i, j});
      i = j;
    } while (i < n);
    return pages;
  }

  private static String compose(String title, List<String> lines, String more, String back) {
    StringBuilder text = new StringBuilder(title);
    for (String line : lines) {
      append(text, line);
    }
    if (more != null) {
      append(text, more);
    }
    if (back != null) {
      append(text, back);
    }
    return text.toString();
  }

  private static void append(StringBuilder text, String line) {
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(line);
  }

  /** Composes the screen, shortening the title and then the longest lines until it fits. */
  static String composeFitting(
      String title, List<String> lines, List<String> footer, ScreenBudget budget) {
    List<String> all = new ArrayList<>(lines);
    all.addAll(footer);
    String text = compose(title, all, null, null);
    if (budget.fits(text)) {
      return text;
    }
    String shortTitle = title;
    while (!shortTitle.isEmpty() && !budget.fits(compose(shortTitle, all, null, null))) {
      shortTitle = shorten(shortTitle);
    }
    while (!budget.fits(compose(shortTitle, all, null, null))) {
      int longest = -1;
      for (int k = 0; k < lines.size(); k++) {
        if (all.get(k).length() > ELLIPSIS.length() + 1
            && (longest < 0 || all.get(k).length() > all.get(longest).length())) {
          longest = k;
        }
      }
      if (longest < 0) {
        break;
      }
      all.set(longest, shorten(all.get(longest)));
    }
    return fit(compose(shortTitle, all, null, null), budget);
  }

  /** The text itself if it fits, else its longest fitting prefix followed by {@code ..}. */
  static String fit(String text, ScreenBudget budget) {
    if (budget.fits(text)) {
      return text;
    }
    String shortened = text;
    while (!shortened.isEmpty() && !budget.fits(shortened)) {
      shortened = shorten(shortened);
    }
    return shortened;
  }

  private static String shorten(String text) {
    String body = text.endsWith(ELLIPSIS) ? text.substring(0, text.length() - 2) : text;
    if (body.isEmpty()) {
      return "";
    }
    int cut = body.offsetByCodePoints(body.length(), -1);
    String kept = body.substring(0, cut).stripTrailing();
    return kept.isEmpty() ? "" : kept + ELLIPSIS;
  }
}
