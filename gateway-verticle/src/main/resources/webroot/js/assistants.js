// The deployment's assistants (GET /api/assistants): the pickers on the create form and in the room header,
// and the name an answer is labelled with. With one assistant (a deployment without ASSISTANTS_FILE) the
// pickers stay hidden: there is nothing to choose.

import { el } from './dom.js';

let list = [];
let first = null;

export const assistants = {
  async load(api) {
    try {
      const reply = await api.call('GET', '/api/assistants');
      list = reply.assistants || [];
      first = reply.defaultAssistantId || (list[0] && list[0].id) || null;
    } catch {
      list = []; // the page works without: answers are labelled "Assistant", nothing to pick
      first = null;
    }
  },

  /** The profile's name, or null when the id is unknown or absent (an answer stored before assistants). */
  name(id) {
    const found = id && list.find((a) => a.id === id);
    return found ? found.name : null;
  },

  /** The assistant of a conversation that names none. */
  defaultId() {
    return first;
  },

  /** Fills a picker and selects {@code selected} (or the default); hidden unless there is a choice. */
  fill(select, selected) {
    select.replaceChildren(...list.map((a) => el('option', { value: a.id, title: a.description || a.model },
      `${a.name}${a.served ? '' : ' (unavailable)'}`)));
    select.value = selected || first || '';
    const hidden = list.length < 2;
    select.hidden = hidden;
    if (select.labels) for (const label of select.labels) label.hidden = hidden;
  },
};
