'use strict';
/**
 * The storefront simulator's theme: the layout and the page templates (Liquid, rendered with
 * liquidjs), like a Shopify theme's layout/theme.liquid and templates
 * (https://shopify.dev/docs/storefronts/themes/architecture/templates/customers-account).
 */

const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title | escape }} – {{ shop.name | escape }}</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2327; background: #f6f5f2; line-height: 1.45; }
  header.site { background: #1d2327; color: #fff; padding: .9rem 1.5rem; display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
  header.site a { color: #fff; }
  header.site .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
  header.site nav { display: flex; gap: 1.2rem; align-items: center; }
  main { padding: 1rem 1.5rem 3rem; }
  .account-head { max-width: 46rem; margin: 1.5rem auto 0; }
  .account-head h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
  .account-head p { margin: 0; color: #555; }
  form.inline { display: inline; margin: 0; }
  form.inline button { background: none; border: 0; color: #fff; text-decoration: underline; font: inherit; cursor: pointer; padding: 0; }
</style>
</head>
<body>
<header class="site">
  <a class="brand" href="{{ routes.root_url }}">{{ shop.name | escape }}</a>
  <nav aria-label="Account">
    <a href="/pages/my-bookings">My bookings</a>
    {%- if customer %}
    <span data-role="who">{{ customer.name | escape }}</span>
    <form class="inline" method="post" action="{{ routes.account_logout_url }}"><button type="submit">Log out</button></form>
    {%- else %}
    <a href="{{ routes.account_login_url }}">Log in</a>
    {%- endif %}
  </nav>
</header>
<main>
{{ content_for_layout }}
</main>
</body>
</html>`;

const ACCOUNT = `<div class="account-head">
  <h1>{% if customer %}Hello, {{ customer.first_name | escape }}{% else %}My bookings{% endif %}</h1>
  {%- if customer %}<p>{{ customer.email | escape }}</p>{% endif %}
</div>
{% render 'sesami-my-page', proxy_path: proxy_path %}`;

const HOME = `<div class="account-head"><h1>Welcome to {{ shop.name | escape }}</h1>
<p>Book online, then see, reschedule or cancel your appointments on <a href="/pages/my-bookings">My bookings</a>.</p></div>`;

const LOGIN = `<div class="account-head">
  <h1>Log in</h1>
  {%- if error %}<p role="alert" style="color:#a12d2d">{{ error | escape }}</p>{% endif %}
  <form method="post" action="{{ routes.account_login_url }}" style="display:grid;gap:.5rem;max-width:22rem;margin-top:1rem">
    <input type="hidden" name="return_to" value="{{ return_to | escape }}">
    <label for="customer_email">Email</label>
    <input id="customer_email" name="email" type="email" autocomplete="email" required value="{{ email | escape }}">
    <label for="customer_password">Password</label>
    <input id="customer_password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" style="margin-top:.5rem;padding:.5rem;font:inherit">Sign in</button>
  </form>
</div>`;

module.exports = { LAYOUT, ACCOUNT, HOME, LOGIN };
