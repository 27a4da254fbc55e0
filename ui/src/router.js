// The router: the login page, and the console layout holding the route table from routes.js.
import { createRouter, createWebHistory } from 'vue-router';
import { session, loadMe } from './session.js';
import { consoleRoutes } from './routes.js';
import LoginView from './views/LoginView.vue';
import ConsoleLayout from './layouts/ConsoleLayout.vue';

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', component: ConsoleLayout, children: consoleRoutes },
  ],
});

// Signed-in pages need /me; without a session go to the login page and come back afterwards.
router.beforeEach(async (to) => {
  if (to.meta.public || session.user) return true;
  try {
    await loadMe();
    return true;
  } catch (e) {
    if (e.status === 401) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    }
    // Server unreachable or failing: the layout shows the error with a retry button.
    session.loadError = e;
    return true;
  }
});
