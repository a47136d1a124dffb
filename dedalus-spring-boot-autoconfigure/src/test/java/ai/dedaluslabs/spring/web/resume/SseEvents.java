package ai.dedaluslabs.spring.web.resume;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The complete events in a received SSE text (headers and an unfinished last event ignored).
 */
record SseEvents(List<Event> events) {

	record Event(@Nullable String id, @Nullable String name, String data) {
	}

	static SseEvents parse(String received) {
		int bodyStart = received.indexOf("\r\n\r\n");
		String body = (bodyStart >= 0) ? received.substring(bodyStart + 4) : received;
		if (bodyStart >= 0 && received.substring(0, bodyStart).toLowerCase(java.util.Locale.ROOT)
			.contains("transfer-encoding: chunked")) {
			body = unchunk(body);
		}
		body = body.replace("\r\n", "\n");
		List<Event> events = new ArrayList<>();
		String id = null;
		String name = null;
		StringBuilder data = null;
		for (String line : body.split("\n", -1)) {
			if (line.isEmpty()) {
				if (data != null) {
					events.add(new Event(id, name, data.toString()));
				}
				id = null;
				name = null;
				data = null;
			}
			else if (line.startsWith("id:")) {
				id = line.substring(3).strip();
			}
			else if (line.startsWith("event:")) {
				name = line.substring(6).strip();
			}
			else if (line.startsWith("data:")) {
				String value = line.substring(5);
				value = value.startsWith(" ") ? value.substring(1) : value;
				data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
			}
			// chunk sizes of a chunked body and ':' comments carry no event
		}
		return new SseEvents(events);
	}

	/** The body without chunked framing, as far as it has arrived. */
	private static String unchunk(String chunked) {
		byte[] bytes = chunked.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		int position = 0;
		while (position < bytes.length) {
			int lineEnd = position;
			while (lineEnd + 1 < bytes.length && !(bytes[lineEnd] == '\r' && bytes[lineEnd + 1] == '\n')) {
				lineEnd++;
			}
			if (lineEnd + 1 >= bytes.length) {
				break;
			}
			int size = Integer.parseInt(new String(bytes, position, lineEnd - position,
					java.nio.charset.StandardCharsets.US_ASCII).trim(), 16);
			int start = lineEnd + 2;
			int available = Math.min(size, bytes.length - start);
			body.write(bytes, start, available);
			if (size == 0 || available < size) {
				break;
			}
			position = start + size + 2;
		}
		return body.toString(java.nio.charset.StandardCharsets.UTF_8);
	}

	List<String> data() {
		return this.events.stream().map(Event::data).toList();
	}

	@Nullable String lastId() {
		for (int i = this.events.size() - 1; i >= 0; i--) {
			if (this.events.get(i).id() != null) {
				return this.events.get(i).id();
			}
		}
		return null;
	}

	int size() {
		return this.events.size();
	}

}
