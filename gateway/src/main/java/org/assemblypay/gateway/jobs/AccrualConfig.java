package org.assemblypay.gateway.jobs;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.assemblypay.gateway.config.Validated;

/**
 * The daily charge accrual: whether this node runs it, at what local time of day (in each
 * assembly's own time zone), and how many missed days it catches up after downtime.
 *
 * @param enabled run the accrual on this node (default true; every node may run it, the database
 *     decides which one does each assembly-day)
 * @param timeOfDay local time {@code HH:mm} from which a day is accrued (default 00:05)
 * @param catchUpDays days before the latest due day that are accrued too if this node has not done
 *     them yet, oldest first, 0..31 (default 7)
 * @param checkIntervalSeconds pause between two looks for due days, 5..3600 (default 60)
 * @param assemblies only these assembly codes; empty means every ACTIVE assembly (default)
 */
public record AccrualConfig(
    Boolean enabled,
    String timeOfDay,
    Integer catchUpDays,
    Integer checkIntervalSeconds,
    List<String> assemblies)
    implements Validated {

  /** Applies the defaults to what was left out; range checks are in {@link #problems}. */
  public AccrualConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    timeOfDay = timeOfDay == null ? "00:05" : timeOfDay.strip();
    catchUpDays = catchUpDays == null ? 7 : catchUpDays;
    checkIntervalSeconds = checkIntervalSeconds == null ? 60 : checkIntervalSeconds;
    assemblies = assemblies == null ? List.of() : List.copyOf(assemblies);
  }

  /** Everything by default: on, 00:05, seven days of catch-up, every assembly. */
  public static AccrualConfig defaults() {
    return new AccrualConfig(null, null, null, null, null);
  }

  /** The same settings, switched off (tests that share a database with others). */
  public AccrualConfig disabled() {
    return new AccrualConfig(false, timeOfDay, catchUpDays, checkIntervalSeconds, assemblies);
  }

  /** The parsed time of day (call only when {@link #problems} found none). */
  public LocalTime localTime() {
    return LocalTime.parse(timeOfDay);
  }

  @Override
  public List<String> problems(String path) {
    List<String> problems = new ArrayList<>();
    try {
      if (!timeOfDay.matches("\\d{2}:\\d{2}")) {
        throw new DateTimeParseException("not HH:mm", timeOfDay, 0);
      }
      LocalTime.parse(timeOfDay);
    } catch (DateTimeParseException e) {
      problems.add(path + ".timeOfDay must be a time HH:mm, e.g. 00:05 (got " + timeOfDay + ")");
    }
    if (catchUpDays < 0 || catchUpDays > 31) {
      problems.add(path + ".catchUpDays must be between 0 and 31 (got " + catchUpDays + ")");
    }
    if (checkIntervalSeconds < 5 || checkIntervalSeconds > 3_600) {
      problems.add(
          path
              + ".checkIntervalSeconds must be between 5 and 3600 (got "
              + checkIntervalSeconds
              + ")");
    }
    for (int i = 0; i < assemblies.size(); i++) {
      String code = assemblies.get(i);
      if (code == null || !code.strip().matches("[A-Za-z][A-Za-z0-9]{1,15}")) {
        problems.add(
            path + ".assemblies[" + i + "]: not an assembly code (2-16 letters or digits)");
      }
    }
    return problems;
  }
}
