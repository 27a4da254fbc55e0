// vue-i18n setup. The locale is the only thing the console keeps in localStorage.
import { createI18n } from 'vue-i18n';
import { computed } from 'vue';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';
import epZhCn from 'element-plus/es/locale/lang/zh-cn';
import epEn from 'element-plus/es/locale/lang/en';

export const LOCALES = ['zh-CN', 'en'];
const STORAGE_KEY = 'hotline.locale';

function initialLocale() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LOCALES.includes(saved)) return saved;
  } catch { /* storage may be disabled */ }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export const t = (...args) => i18n.global.t(...args);

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? epEn : epZhCn));

function applyDocument(locale) {
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
}

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return;
  i18n.global.locale.value = locale;
  try { localStorage.setItem(STORAGE_KEY, locale); } catch { /* ignore */ }
  applyDocument(locale);
}

applyDocument(i18n.global.locale.value);

// Labels for API enumerations; unknown values are shown raw.
export function roleLabel(role) {
  const key = `roles.${role}`;
  return role && i18n.global.te(key) ? t(key) : role || '';
}
export function levelLabel(level) {
  const key = `levels.${level}`;
  return level && i18n.global.te(key) ? t(key) : level || '';
}
export function actionLabel(action) {
  const key = `actions.${String(action || '').replace(/\./g, '_')}`;
  return action && i18n.global.te(key) ? t(key) : action || '';
}
export function permissionLabel(p) {
  const key = `permissions.${String(p || '').replace(/\./g, '_')}`;
  return p && i18n.global.te(key) ? t(key) : p || '';
}
