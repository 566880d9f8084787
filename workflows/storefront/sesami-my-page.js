/*
 * Sesami "My Page" storefront script (no build step, no dependencies). Loaded by the theme snippet
 * sesami-my-page.liquid, which renders <div data-sesami-my-page data-proxy-path="/apps/bookings">
 * for logged-in customers only.
 *
 * It calls the store's App Proxy path (same origin; Shopify signs the request and adds the
 * logged-in customer, and the n8n workflow behind the proxy checks both):
 *   GET  <proxy>?op=list                                    the customer's upcoming appointments
 *   POST <proxy> {"op":"slots","appointmentId"}             free times for a reschedule
 *   POST <proxy> {"op":"reschedule","appointmentId","dateTime","timezone"}
 *   POST <proxy> {"op":"cancel","appointmentId"}
 * It never sends a customer ID or email: who the customer is comes from Shopify only. The only
 * query key is `op` (lower case, not a prefix of any Shopify parameter: see the README); everything
 * else travels in the JSON body.
 */
(function () {
	'use strict';

	var ROOT_SELECTOR = '[data-sesami-my-page]';

	function el(tag, attrs, children) {
		var node = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (name) {
			var value = attrs[name];
			if (value === undefined || value === null || value === false) return;
			if (name === 'text') node.textContent = value;
			else if (name.slice(0, 2) === 'on') node.addEventListener(name.slice(2), value);
			else node.setAttribute(name, value === true ? '' : String(value));
		});
		(children || []).forEach(function (child) {
			if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
		});
		return node;
	}

	function locale() {
		return document.documentElement.lang || undefined;
	}

	/** "Tuesday 1 December 2026, 10:00" in the appointment's own timezone. */
	function formatStart(iso, timeZone) {
		var date = new Date(iso);
		if (isNaN(date.getTime())) return iso || '';
		var options = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
		try {
			return new Intl.DateTimeFormat(locale(), Object.assign({ timeZone: timeZone || undefined, timeZoneName: 'short' }, options)).format(date);
		} catch (e) {
			return new Intl.DateTimeFormat(locale(), options).format(date);
		}
	}

	/** "2026-12-01" -> "Tue 1 Dec" (a calendar date: formatted in UTC so it never shifts). */
	function formatDay(day) {
		var date = new Date(day + 'T00:00:00Z');
		if (isNaN(date.getTime())) return day;
		return new Intl.DateTimeFormat(locale(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
	}

	function MyPage(root) {
		this.root = root;
		this.proxy = (root.getAttribute('data-proxy-path') || '/apps/bookings').replace(/\/+$/, '');
		this.appointments = [];
		this.busy = false;
		this.message = el('div', { class: 'sesami-my-page__message', role: 'status', 'aria-live': 'polite', 'data-role': 'message' });
		this.body = el('div', { 'data-role': 'body', 'aria-busy': 'true' });
		root.textContent = '';
		root.appendChild(this.message);
		root.appendChild(this.body);
	}

	/** Calls the proxy; resolves { ok, status, data }. Never throws for HTTP errors. */
	MyPage.prototype.call = function (op, payload) {
		var init = { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } };
		var url = this.proxy + '?op=' + encodeURIComponent(op);
		if (payload) {
			init.method = 'POST';
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(Object.assign({ op: op }, payload));
		}
		return fetch(url, init).then(
			function (response) {
				return response.text().then(function (text) {
					var data = null;
					try {
						data = text ? JSON.parse(text) : null;
					} catch (e) {
						data = null;
					}
					return { ok: response.ok, status: response.status, data: data };
				});
			},
			function () {
				return { ok: false, status: 0, data: null };
			},
		);
	};

	MyPage.prototype.say = function (text, kind) {
		this.message.className = 'sesami-my-page__message' + (text ? ' sesami-my-page__message--' + (kind || 'ok') : '');
		this.message.setAttribute('data-kind', kind || 'ok');
		this.message.textContent = text || '';
	};

	/** The backend's reason for a refusal, or a generic sentence. */
	MyPage.prototype.reasonOf = function (result, fallback) {
		if (result.status === 401) return 'Your session has expired. Please reload the page or log in again.';
		if (result.data && typeof result.data.reason === 'string' && result.data.reason) return result.data.reason;
		return fallback;
	};

	/** An action the backend did not do: its reason, and (when it refused) the list as it is now. */
	MyPage.prototype.refused = function (result, fallback) {
		var self = this;
		var reason = this.reasonOf(result, fallback);
		var reload = result.status === 403 || result.status === 404 ? this.load() : Promise.resolve();
		return reload.then(function () {
			self.say(reason, 'error');
		});
	};

	MyPage.prototype.load = function () {
		var self = this;
		this.body.setAttribute('aria-busy', 'true');
		return this.call('list').then(function (result) {
			self.body.setAttribute('aria-busy', 'false');
			if (!result.ok || !result.data || !Array.isArray(result.data.appointments)) {
				self.body.textContent = '';
				self.say(self.reasonOf(result, 'Your appointments could not be loaded. Please try again later.'), 'error');
				return;
			}
			self.appointments = result.data.appointments;
			self.render();
		});
	};

	MyPage.prototype.render = function () {
		var self = this;
		this.body.textContent = '';
		if (!this.appointments.length) {
			this.body.appendChild(el('p', { 'data-role': 'empty', text: 'You have no upcoming appointments.' }));
			return;
		}
		var list = el('ul', { class: 'sesami-my-page__list', 'data-role': 'list' });
		this.appointments.forEach(function (appointment) {
			list.appendChild(self.renderItem(appointment));
		});
		this.body.appendChild(list);
	};

	MyPage.prototype.renderItem = function (a) {
		var self = this;
		var titleId = 'sesami-appt-' + a.id;
		var actions = el('div', { class: 'sesami-my-page__actions' });
		var notes = [];
		var sameReason = !a.canReschedule && !a.canCancel && a.rescheduleReason && a.rescheduleReason === a.cancelReason;
		if (sameReason) notes.push('Changes online are not possible: ' + a.rescheduleReason);
		if (a.canReschedule) {
			actions.appendChild(
				el('button', { type: 'button', 'data-action': 'reschedule', 'aria-describedby': titleId, onclick: function () { self.openPicker(a, item); } }, ['Reschedule']),
			);
		} else if (a.rescheduleReason && !sameReason) {
			notes.push('Rescheduling online is not possible: ' + a.rescheduleReason);
		}
		if (a.canCancel) {
			actions.appendChild(
				el('button', { type: 'button', class: 'sesami-my-page__danger', 'data-action': 'cancel', 'aria-describedby': titleId, onclick: function () { self.askCancel(a, item); } }, ['Cancel']),
			);
		} else if (a.cancelReason && !sameReason) {
			notes.push('Cancelling online is not possible: ' + a.cancelReason);
		}
		var meta = [a.orderName ? 'Order ' + a.orderName : null, a.status === 'RESCHEDULED' ? 'Rescheduled' : null].filter(Boolean).join(' · ');
		var item = el('li', { class: 'sesami-my-page__item', 'data-appointment-id': a.id, 'data-start': a.start }, [
			el('h3', { id: titleId, text: a.service || 'Appointment' }),
			el('p', { class: 'sesami-my-page__when', 'data-role': 'when', text: formatStart(a.start, a.timezone) }),
			meta ? el('p', { class: 'sesami-my-page__meta', text: meta }) : null,
			actions.childNodes.length ? actions : null,
		]);
		notes.forEach(function (note) {
			item.appendChild(el('p', { class: 'sesami-my-page__note', 'data-role': 'note', text: note }));
		});
		return item;
	};

	MyPage.prototype.closePanels = function (item) {
		Array.prototype.forEach.call(item.querySelectorAll('[data-role="picker"], [data-role="confirm-cancel"]'), function (panel) {
			panel.parentNode.removeChild(panel);
		});
	};

	MyPage.prototype.openPicker = function (a, item) {
		var self = this;
		this.closePanels(item);
		var panel = el('fieldset', { class: 'sesami-my-page__picker', 'data-role': 'picker' }, [el('legend', { text: 'Choose a new time' })]);
		var status = el('p', { class: 'sesami-my-page__note', role: 'status', text: 'Looking for free times…' });
		panel.appendChild(status);
		item.appendChild(panel);
		this.call('slots', { appointmentId: a.id }).then(function (result) {
			if (!result.ok || !result.data || !Array.isArray(result.data.slots)) {
				status.textContent = self.reasonOf(result, 'Free times could not be loaded. Please try again later.');
				status.setAttribute('data-role', 'refusal');
				return;
			}
			var timezone = result.data.timezone || a.timezone || '';
			var byDay = {};
			var days = [];
			result.data.slots.forEach(function (slot) {
				if (!slot || !slot.startTime) return;
				var day = slot.date || String(slot.startTime).slice(0, 10);
				if (!byDay[day]) {
					byDay[day] = [];
					days.push(day);
				}
				byDay[day].push(slot);
			});
			if (!days.length) {
				status.textContent = 'There are no free times in the next weeks. Please contact the store.';
				return;
			}
			status.textContent = timezone ? 'Times are in ' + timezone + '.' : '';
			var daySelect = el('select', { id: 'sesami-day-' + a.id, 'data-role': 'day' });
			var timeSelect = el('select', { id: 'sesami-time-' + a.id, 'data-role': 'time' });
			days.forEach(function (day) {
				daySelect.appendChild(el('option', { value: day, text: formatDay(day) }));
			});
			function fillTimes() {
				timeSelect.textContent = '';
				(byDay[daySelect.value] || []).forEach(function (slot) {
					timeSelect.appendChild(el('option', { value: String(slot.startTime).replace(' ', 'T'), text: String(slot.startTime).slice(11, 16) }));
				});
			}
			daySelect.addEventListener('change', fillTimes);
			fillTimes();
			var confirm = el('button', { type: 'button', class: 'sesami-my-page__primary', 'data-action': 'confirm-reschedule' }, ['Move my appointment']);
			confirm.addEventListener('click', function () {
				self.reschedule(a, timeSelect.value, timezone, confirm);
			});
			panel.appendChild(el('label', { for: daySelect.id, text: 'Day' }));
			panel.appendChild(daySelect);
			panel.appendChild(el('label', { for: timeSelect.id, text: 'Time' }));
			panel.appendChild(timeSelect);
			panel.appendChild(
				el('div', { class: 'sesami-my-page__actions' }, [
					confirm,
					el('button', { type: 'button', 'data-action': 'close', onclick: function () { self.closePanels(item); } }, ['Keep the current time']),
				]),
			);
			daySelect.focus();
		});
	};

	MyPage.prototype.reschedule = function (a, dateTime, timezone, button) {
		var self = this;
		if (!dateTime || this.busy) return;
		this.busy = true;
		button.disabled = true;
		this.say('Moving your appointment…', 'ok');
		this.call('reschedule', { appointmentId: a.id, dateTime: dateTime, timezone: timezone || undefined }).then(function (result) {
			self.busy = false;
			button.disabled = false;
			if (!result.ok) return self.refused(result, 'The appointment could not be moved. Please try again later.');
			var start = result.data && result.data.appointment ? result.data.appointment.start : dateTime;
			return self.load().then(function () {
				self.say('Done: your ' + (a.service || 'appointment') + ' is now on ' + formatStart(start, a.timezone) + '.', 'ok');
			});
		});
	};

	MyPage.prototype.askCancel = function (a, item) {
		var self = this;
		this.closePanels(item);
		var yes = el('button', { type: 'button', class: 'sesami-my-page__danger sesami-my-page__primary', 'data-action': 'confirm-cancel' }, ['Yes, cancel it']);
		var panel = el('div', { class: 'sesami-my-page__picker', 'data-role': 'confirm-cancel', role: 'group', 'aria-label': 'Cancel this appointment?' }, [
			el('p', { class: 'sesami-my-page__when', text: 'Cancel this appointment?' }),
			el('div', { class: 'sesami-my-page__actions' }, [
				yes,
				el('button', { type: 'button', 'data-action': 'close', onclick: function () { self.closePanels(item); } }, ['Keep it']),
			]),
		]);
		yes.addEventListener('click', function () {
			self.cancel(a, yes);
		});
		item.appendChild(panel);
		yes.focus();
	};

	MyPage.prototype.cancel = function (a, button) {
		var self = this;
		if (this.busy) return;
		this.busy = true;
		button.disabled = true;
		this.say('Cancelling your appointment…', 'ok');
		this.call('cancel', { appointmentId: a.id }).then(function (result) {
			self.busy = false;
			button.disabled = false;
			if (!result.ok) return self.refused(result, 'The appointment could not be cancelled. Please try again later.');
			var refunded = result.data && result.data.refunded === true ? ' Your payment will be refunded.' : '';
			return self.load().then(function () {
				self.say('Done: your ' + (a.service || 'appointment') + ' on ' + formatStart(a.start, a.timezone) + ' is cancelled.' + refunded, 'ok');
			});
		});
	};

	function start() {
		Array.prototype.forEach.call(document.querySelectorAll(ROOT_SELECTOR), function (root) {
			if (root.getAttribute('data-started')) return;
			root.setAttribute('data-started', 'true');
			new MyPage(root).load();
		});
	}

	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();
