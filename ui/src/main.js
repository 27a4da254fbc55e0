import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n.js';
import { router } from './router.js';
import element from './element.js';
import { onUnauthorized } from './api.js';
import { clearSession } from './session.js';
import { closeEvents } from './events.js';
import './style.css';

// Any 401 from the API: the session is gone; forget the user and go to the login page.
onUnauthorized(() => {
  clearSession();
  closeEvents();
  const current = router.currentRoute.value;
  if (current.name !== 'login') {
    router.push({ name: 'login', query: current.fullPath && current.fullPath !== '/' ? { redirect: current.fullPath, expired: '1' } : { expired: '1' } });
  }
});

createApp(App).use(i18n).use(router).use(element).mount('#app');
