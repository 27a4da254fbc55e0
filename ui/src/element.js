// The Element Plus components the console uses, registered globally (tree-shaken; full CSS). A view may
// import one locally instead; scripts/check-ui-components.mjs (a ctest) fails on an <el-*> tag that is neither.
// Sub-components (ElRadioButton, ElRadioGroup, ElOption, ElTableColumn …) have no-op installs: they are
// registered by their parent's install (ElRadio, ElSelect, ElTable …), which must be in the list.
import {
  ElAlert, ElAside, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCol, ElConfigProvider,
  ElContainer, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElHeader, ElIcon, ElInput, ElLink, ElLoading, ElMain,
  ElMenu, ElMenuItem, ElOption, ElPopover, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect,
  ElSkeleton, ElStatistic, ElSubMenu, ElTable, ElTableColumn, ElTag, ElTooltip, ElTree, ElScrollbar,
  ElAutocomplete, ElDatePicker, ElPagination, ElTabs, ElTabPane, ElTimeline, ElTimelineItem,
} from 'element-plus';
import 'element-plus/dist/index.css';

const components = [
  ElAlert, ElAside, ElAvatar, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElCard, ElCol, ElConfigProvider,
  ElContainer, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDropdown, ElDropdownItem,
  ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElHeader, ElIcon, ElInput, ElLink, ElMain,
  ElMenu, ElMenuItem, ElOption, ElPopover, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect,
  ElSkeleton, ElStatistic, ElSubMenu, ElTable, ElTableColumn, ElTag, ElTooltip, ElTree, ElScrollbar,
  ElAutocomplete, ElDatePicker, ElPagination, ElTabs, ElTabPane, ElTimeline, ElTimelineItem,
];

export default {
  install(app) {
    for (const c of components) app.use(c);
    app.use(ElLoading);
  },
};
