package ai.dedaluslabs.client.json;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The JSON value a stream has sent so far: the longest prefix that is valid JSON once its open
 * strings, arrays and objects are closed. A page can render a structured answer while it streams:
 * <code>&#123;"city":"Dub</code> reads as <code>&#123;"city":"Dub"&#125;</code>, and
 * <code>&#123;"city":"Dublin","deg</code> as <code>&#123;"city":"Dublin"&#125;</code>. A number, {@code true}, {@code false} or {@code null} counts only once
 * it is complete (followed by a delimiter), so a value never changes type or shrinks as more
 * arrives; a key counts only with its value begun.
 *
 * @since 0.1.0
 */
public final class PartialJson {

	private PartialJson() {
	}

	/**
	 * The value of a prefix.
	 * @param prefix the JSON text so far
	 * @return the value, or {@code null} when nothing of it is complete yet
	 */
	public static @Nullable JsonNode parse(CharSequence prefix) {
		String closed = close(prefix);
		if (closed == null) {
			return null;
		}
		try {
			return WireJson.defaultMapper().readTree(closed);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The longest valid prefix, closed, as text.
	 * @param prefix the JSON text so far
	 * @return the closed text, or {@code null} when nothing is complete yet
	 */
	static @Nullable String close(CharSequence prefix) {
		// Expected closers of the open containers, innermost last; per container whether it is an
		// object and what it expects next.
		StringBuilder closers = new StringBuilder();
		StringBuilder expects = new StringBuilder();
		Safe safe = new Safe();
		boolean topLevelDone = false;
		int i = 0;
		int length = prefix.length();
		while (i < length) {
			char c = prefix.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			char expect = (expects.length() > 0) ? expects.charAt(expects.length() - 1) : (topLevelDone ? 'E' : 'V');
			if (expect == 'E') {
				break;
			}
			if (expect == 'K') {
				// In an object, expecting a key or its end.
				if (c == '}') {
					i++;
					pop(closers, expects);
					topLevelDone = completedValue(expects);
					safe.mark(i, closers);
					continue;
				}
				if (c == ',') {
					i++;
					continue;
				}
				if (c != '"') {
					return safe.result(prefix);
				}
				int end = stringEnd(prefix, i);
				if (end < 0) {
					return safe.result(prefix);
				}
				i = end;
				set(expects, ':');
				continue;
			}
			if (expect == ':') {
				if (c != ':') {
					return safe.result(prefix);
				}
				i++;
				set(expects, 'v');
				continue;
			}
			if (expect == 'A') {
				// After a value in a container: a comma, or the container's end.
				if (c == ',') {
					i++;
					set(expects, isObject(closers) ? 'K' : 'V');
					continue;
				}
				if (c == '}' || c == ']') {
					i++;
					pop(closers, expects);
					topLevelDone = completedValue(expects);
					safe.mark(i, closers);
					continue;
				}
				return safe.result(prefix);
			}
			// Expecting a value: 'V' (top level or in an array) or 'v' (after an object key).
			if (c == ']' && expect == 'V' && closers.length() > 0 && closers.charAt(closers.length() - 1) == ']') {
				i++;
				pop(closers, expects);
				topLevelDone = completedValue(expects);
				safe.mark(i, closers);
				continue;
			}
			if (c == '{' || c == '[') {
				i++;
				closers.append((c == '{') ? '}' : ']');
				expects.append((c == '{') ? 'K' : 'V');
				safe.mark(i, closers);
				continue;
			}
			if (c == '"') {
				int end = stringEnd(prefix, i);
				if (end < 0) {
					// A string value in progress: closed where its last whole character ends.
					int cut = partialStringCut(prefix, i);
					return result(prefix, cut, closers.toString(), true);
				}
				i = end;
				valueDone(expects);
				topLevelDone = expects.length() == 0;
				safe.mark(i, closers);
				continue;
			}
			int end = scalarEnd(prefix, i);
			if (end >= length) {
				// A number or literal that may go on: not complete yet.
				return safe.result(prefix);
			}
			i = end;
			valueDone(expects);
			topLevelDone = expects.length() == 0;
			safe.mark(i, closers);
		}
		return safe.result(prefix);
	}

	/** The last place where the prefix can be cut and closed. */
	private static final class Safe {

		private int end = -1;

		private String closers = "";

		void mark(int end, StringBuilder closers) {
			this.end = end;
			this.closers = closers.toString();
		}

		@Nullable String result(CharSequence prefix) {
			return PartialJson.result(prefix, this.end, this.closers, false);
		}

	}

	private static @Nullable String result(CharSequence prefix, int end, String closers, boolean quote) {
		if (end < 0) {
			return null;
		}
		StringBuilder text = new StringBuilder(end + closers.length() + 1).append(prefix, 0, end);
		if (quote) {
			text.append('"');
		}
		for (int i = closers.length() - 1; i >= 0; i--) {
			text.append(closers.charAt(i));
		}
		return text.toString();
	}

	/** The index after a complete string starting at {@code start}, or -1 when it has not ended. */
	private static int stringEnd(CharSequence text, int start) {
		for (int i = start + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (c == '"') {
				return i + 1;
			}
		}
		return -1;
	}

	/** Where an unfinished string can be cut: before a half-written escape sequence. */
	private static int partialStringCut(CharSequence text, int start) {
		int cut = start + 1;
		for (int i = start + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				int escapeLength = (i + 1 < text.length() && text.charAt(i + 1) == 'u') ? 6 : 2;
				if (i + escapeLength > text.length()) {
					return cut;
				}
				i += escapeLength - 1;
				cut = i + 1;
			}
			else if (Character.isHighSurrogate(c) && i + 1 >= text.length()) {
				return cut;
			}
			else {
				cut = i + 1;
			}
		}
		return cut;
	}

	/** The index after a number or literal; the text's length when it may still go on. */
	private static int scalarEnd(CharSequence text, int start) {
		int i = start;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == ',' || c == '}' || c == ']' || Character.isWhitespace(c)) {
				return i;
			}
			i++;
		}
		return i;
	}

	private static boolean isObject(StringBuilder closers) {
		return closers.length() > 0 && closers.charAt(closers.length() - 1) == '}';
	}

	private static void set(StringBuilder expects, char next) {
		expects.setCharAt(expects.length() - 1, next);
	}

	private static void pop(StringBuilder closers, StringBuilder expects) {
		closers.setLength(closers.length() - 1);
		expects.setLength(expects.length() - 1);
		valueDone(expects);
	}

	private static void valueDone(StringBuilder expects) {
		if (expects.length() > 0) {
			set(expects, 'A');
		}
	}

	private static boolean completedValue(StringBuilder expects) {
		return expects.length() == 0;
	}

}
